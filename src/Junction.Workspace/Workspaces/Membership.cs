using Junction.Workspace.Access;
using Junction.Workspace.Data;

namespace Junction.Workspace.Workspaces;

/// <summary>Adding people to a workspace, shared by setup, the <c>users create-owner</c> verb, new workspaces and invites.</summary>
internal static class Membership
{
    /// <summary>Adds the membership row (saved by the caller's <c>SaveChanges</c>).</summary>
    public static void AddMember(JunctionDbContext db, string workspaceId, string userId, DateTimeOffset now) =>
        db.WorkspaceMembers.Add(new WorkspaceMemberEntity { WorkspaceId = workspaceId, UserId = userId, JoinedAt = now });

    /// <summary>Adds a member with the Workspace Owner role on the whole workspace.</summary>
    public static void AddOwner(JunctionDbContext db, string workspaceId, string userId, DateTimeOffset now)
    {
        AddMember(db, workspaceId, userId, now);
        var id = Ids.New("perm");
        db.Permissions.Add(new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspaceId,
            PrincipalKind = PrincipalKind.User,
            PrincipalId = userId,
            RoleId = Roles.WorkspaceOwnerId,
            CreatedAt = now,
            Resources = [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
        });
    }
}
