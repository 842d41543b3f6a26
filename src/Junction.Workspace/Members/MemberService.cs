using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Members;

/// <summary>A member of a workspace with the permissions given to them directly (not those of their groups).</summary>
internal sealed record MemberView(string Id, string Name, string Email, IReadOnlyList<PermissionView> Permissions);

internal sealed record MemberPage(IReadOnlyList<MemberView> Members, int TotalEntries);

/// <summary>A user group in short: its id and name.</summary>
internal sealed record GroupRef(string Id, string Name);

internal sealed record GroupRefPage(IReadOnlyList<GroupRef> Groups, int TotalEntries);

/// <summary>
/// The members of a workspace and their permissions, for Workspace Owners: list them, remove them from the workspace
/// (their account stays; the last Workspace Owner cannot be removed), add or replace their permissions, and list
/// their groups. Someone who is not a member of the caller's workspace is not found.
/// </summary>
internal sealed partial class MemberService(
    JunctionDbContext db,
    PermissionService permissions,
    AuditTrail audit,
    ILogger<MemberService> logger)
{
    public async Task<Outcome<MemberPage>> ListAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing users");
        }

        var members = Members(caller.WorkspaceId);
        var total = await members.CountAsync(cancellationToken);
        var page = await members.OrderBy(u => u.NormalizedEmail).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new MemberPage(await ViewsAsync(caller.WorkspaceId, page, cancellationToken), total);
    }

    public async Task<Outcome<MemberView>> FindAsync(Principal caller, string userId, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading users");
        }

        var user = await Members(caller.WorkspaceId).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? Problem.NotFound("User") : (await ViewsAsync(caller.WorkspaceId, [user], cancellationToken))[0];
    }

    /// <summary>
    /// Removes users from the workspace with their permissions there and their memberships of its groups. All or
    /// nothing: an id that is not a member, or leaving no Workspace Owner, refuses the whole request.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<MemberView>>> RemoveAsync(
        Principal caller, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Removing users");
        }

        if (userIds.Count == 0)
        {
            return Problem.Invalid("userIds must name at least one user.", "userIds");
        }

        var workspaceId = caller.WorkspaceId;
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        var users = await Members(workspaceId).Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
        if (ids.FirstOrDefault(id => users.All(u => u.Id != id)) is { } missing)
        {
            return Problem.NotFound($"User \"{missing}\"");
        }

        var guard = await OwnerGuard.LoadAsync(db, workspaceId, cancellationToken);
        foreach (var id in ids)
        {
            guard.RemoveMember(id);
        }

        if (guard.Check("userIds") is { } lastOwner)
        {
            return lastOwner;
        }

        var views = await ViewsAsync(workspaceId, users, cancellationToken);
        db.WorkspaceMembers.RemoveRange(await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && ids.Contains(m.UserId)).ToListAsync(cancellationToken));
        db.UserGroupMembers.RemoveRange(await db.UserGroupMembers
            .Where(m => ids.Contains(m.UserId) && db.UserGroups.Any(g => g.Id == m.GroupId && g.WorkspaceId == workspaceId))
            .ToListAsync(cancellationToken));
        foreach (var view in views)
        {
            await permissions.RemoveAllAsync(workspaceId, PrincipalKind.User, view.Id, cancellationToken);
            audit.Record(workspaceId, Actor.Of(caller), "User Removed", AuditResourceTypes.User, view.Id, view.Email, before: view);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogRemoved(logger, views.Count, workspaceId);
        return new Outcome<IReadOnlyList<MemberView>>(views, null);
    }

    public Task<Outcome<IReadOnlyList<PermissionView>>> AddPermissionsAsync(
        Principal caller, string userId, IReadOnlyList<PermissionInput> inputs, CancellationToken cancellationToken) =>
        GrantAsync(caller, userId, inputs, replace: false, cancellationToken);

    public Task<Outcome<IReadOnlyList<PermissionView>>> ReplacePermissionsAsync(
        Principal caller, string userId, IReadOnlyList<PermissionInput> inputs, CancellationToken cancellationToken) =>
        GrantAsync(caller, userId, inputs, replace: true, cancellationToken);

    /// <summary>The groups of the workspace a member belongs to, by name.</summary>
    public async Task<Outcome<GroupRefPage>> GroupsAsync(
        Principal caller, string userId, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing a user's groups");
        }

        if (!await Members(caller.WorkspaceId).AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return Problem.NotFound("User");
        }

        var groups = db.UserGroups.AsNoTracking()
            .Where(g => g.WorkspaceId == caller.WorkspaceId && db.UserGroupMembers.Any(m => m.GroupId == g.Id && m.UserId == userId));
        var total = await groups.CountAsync(cancellationToken);
        var page = await groups.OrderBy(g => g.Name).Skip(offset).Take(count)
            .Select(g => new GroupRef(g.Id, g.Name))
            .ToListAsync(cancellationToken);
        return new GroupRefPage(page, total);
    }

    private async Task<Outcome<IReadOnlyList<PermissionView>>> GrantAsync(
        Principal caller, string userId, IReadOnlyList<PermissionInput> inputs, bool replace, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing permissions");
        }

        var user = await Members(caller.WorkspaceId).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Problem.NotFound("User");
        }

        var holder = new PermissionHolder(PrincipalKind.User, user.Id, AuditResourceTypes.User, user.Email);
        return await permissions.GrantAsync(caller, holder, inputs, replace, cancellationToken);
    }

    private IQueryable<UserEntity> Members(string workspaceId) =>
        db.Users.AsNoTracking().Where(u => db.WorkspaceMembers.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id));

    private async Task<IReadOnlyList<MemberView>> ViewsAsync(
        string workspaceId, IReadOnlyList<UserEntity> users, CancellationToken cancellationToken)
    {
        var granted = await permissions.ViewsAsync(workspaceId, PrincipalKind.User, users.Select(u => u.Id).ToList(), cancellationToken);
        return users.Select(u => new MemberView(u.Id, u.Name, u.Email, granted.GetValueOrDefault(u.Id) ?? [])).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} user(s) from workspace {WorkspaceId}.")]
    private static partial void LogRemoved(ILogger logger, int count, string workspaceId);
}
