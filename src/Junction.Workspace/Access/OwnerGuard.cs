using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Access;

/// <summary>
/// Keeps a workspace from losing its last Workspace Owner. It loads who is an owner (by a permission of their own or
/// through a user group), lets a change be played on that picture, and refuses the change when owners there were
/// and none would be left. A workspace run only with command-line tokens has no owner users, and nothing is refused.
/// </summary>
internal sealed class OwnerGuard
{
    private readonly HashSet<string> _members;
    private readonly HashSet<string> _directOwners;
    private readonly HashSet<string> _ownerGroups;
    private readonly Dictionary<string, HashSet<string>> _groupMembers;
    private readonly int _ownersBefore;

    private OwnerGuard(
        HashSet<string> members, HashSet<string> directOwners, HashSet<string> ownerGroups, Dictionary<string, HashSet<string>> groupMembers)
    {
        _members = members;
        _directOwners = directOwners;
        _ownerGroups = ownerGroups;
        _groupMembers = groupMembers;
        _ownersBefore = Owners;
    }

    /// <summary>How many members are Workspace Owners in the picture as it stands.</summary>
    public int Owners => _members.Count(IsOwner);

    public static async Task<OwnerGuard> LoadAsync(JunctionDbContext db, string workspaceId, CancellationToken cancellationToken)
    {
        var members = await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId).Select(m => m.UserId).ToListAsync(cancellationToken);
        var owners = await db.Permissions
            .Where(p => p.WorkspaceId == workspaceId && p.RoleId == Roles.WorkspaceOwnerId)
            .Select(p => new { p.PrincipalKind, p.PrincipalId })
            .ToListAsync(cancellationToken);
        var groupMembers = await db.UserGroupMembers
            .Where(m => db.UserGroups.Any(g => g.Id == m.GroupId && g.WorkspaceId == workspaceId))
            .ToListAsync(cancellationToken);
        return new OwnerGuard(
            members.ToHashSet(StringComparer.Ordinal),
            owners.Where(o => o.PrincipalKind == PrincipalKind.User).Select(o => o.PrincipalId).ToHashSet(StringComparer.Ordinal),
            owners.Where(o => o.PrincipalKind == PrincipalKind.Group).Select(o => o.PrincipalId).ToHashSet(StringComparer.Ordinal),
            groupMembers.GroupBy(m => m.GroupId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(m => m.UserId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));
    }

    public void RemoveMember(string userId)
    {
        _members.Remove(userId);
        _directOwners.Remove(userId);
        foreach (var group in _groupMembers.Values)
        {
            group.Remove(userId);
        }
    }

    public void SetUserOwner(string userId, bool owner) => Set(_directOwners, userId, owner);

    public void SetGroupOwner(string groupId, bool owner) => Set(_ownerGroups, groupId, owner);

    public void RemoveGroup(string groupId)
    {
        _ownerGroups.Remove(groupId);
        _groupMembers.Remove(groupId);
    }

    public void SetGroupMembers(string groupId, IEnumerable<string> userIds) =>
        _groupMembers[groupId] = userIds.ToHashSet(StringComparer.Ordinal);

    public void RemoveGroupMembers(string groupId, IEnumerable<string> userIds)
    {
        if (_groupMembers.TryGetValue(groupId, out var members))
        {
            members.ExceptWith(userIds);
        }
    }

    /// <summary>The refusal when the change played on this guard leaves a workspace that had owners without any; otherwise null.</summary>
    public Problem? Check(string field) =>
        _ownersBefore > 0 && Owners == 0
            ? Problem.Conflict(
                "This would leave the workspace without a Workspace Owner: give the Workspace Owner role to someone else first.", field)
            : null;

    private bool IsOwner(string userId) =>
        _directOwners.Contains(userId)
        || _groupMembers.Any(g => _ownerGroups.Contains(g.Key) && g.Value.Contains(userId));

    private static void Set(HashSet<string> set, string id, bool present)
    {
        if (present)
        {
            set.Add(id);
        }
        else
        {
            set.Remove(id);
        }
    }
}
