using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Groups;

/// <summary>A user group as callers see it: how many members it has and the permissions they share through it.</summary>
internal sealed record UserGroupView(string Id, string Name, int MemberCount, IReadOnlyList<PermissionView> Permissions);

internal sealed record UserGroupPage(IReadOnlyList<UserGroupView> Groups, int TotalEntries);

/// <summary>A member of a group in short.</summary>
internal sealed record GroupMemberView(string Id, string Name, string Email);

internal sealed record GroupMemberPage(IReadOnlyList<GroupMemberView> Users, int TotalEntries);

internal sealed record EmailPage(IReadOnlyList<string> Emails, int TotalEntries);

/// <summary>
/// User groups of a workspace, for Workspace Owners: sets of members (and of people invited but not yet joined, who
/// become members of the group when they accept) sharing permissions. Members are named by email; an email that is
/// neither a member nor pending an invite is refused. No change may leave the workspace without a Workspace Owner.
/// </summary>
internal sealed partial class UserGroupService(
    JunctionDbContext db,
    PermissionService permissions,
    AuditTrail audit,
    TimeProvider time,
    ILogger<UserGroupService> logger)
{
    public const int MaxNameLength = 100;

    public async Task<Outcome<UserGroupPage>> ListAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing user groups");
        }

        var groups = db.UserGroups.AsNoTracking().Where(g => g.WorkspaceId == caller.WorkspaceId);
        var total = await groups.CountAsync(cancellationToken);
        var page = await groups.OrderBy(g => g.Name).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new UserGroupPage(await ViewsAsync(caller.WorkspaceId, page, cancellationToken), total);
    }

    public async Task<Outcome<UserGroupView>> FindAsync(Principal caller, string groupId, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading user groups");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        return group is null ? Problem.NotFound("User group") : await ViewAsync(group, cancellationToken);
    }

    public async Task<Outcome<UserGroupView>> CreateAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Creating user groups");
        }

        name = name.Trim();
        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        if (await NameTakenAsync(caller.WorkspaceId, name, null, cancellationToken))
        {
            return NameConflict(name);
        }

        var group = new UserGroupEntity { Id = Ids.New("grp"), WorkspaceId = caller.WorkspaceId, Name = name, CreatedAt = time.GetUtcNow() };
        db.UserGroups.Add(group);
        Record(caller, "User Group Created", group, after: new { name });
        if (await TrySaveAsync(group, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        LogCreated(logger, group.Id, caller.WorkspaceId);
        return await ViewAsync(group, cancellationToken);
    }

    public async Task<Outcome<UserGroupView>> RenameAsync(Principal caller, string groupId, string name, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing user groups");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken, tracked: true);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        name = name.Trim();
        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        if (await NameTakenAsync(caller.WorkspaceId, name, group.Id, cancellationToken))
        {
            return NameConflict(name);
        }

        Record(caller, "User Group Modified", group, before: new { name = group.Name }, after: new { name });
        group.Name = name;
        if (await TrySaveAsync(group, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return await ViewAsync(group, cancellationToken);
    }

    /// <summary>Deletes a group and the permissions it gave; its members stay members of the workspace.</summary>
    public async Task<Outcome<UserGroupView>> DeleteAsync(Principal caller, string groupId, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Deleting user groups");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken, tracked: true);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        var guard = await OwnerGuard.LoadAsync(db, caller.WorkspaceId, cancellationToken);
        guard.RemoveGroup(group.Id);
        if (guard.Check("userGroupId") is { } lastOwner)
        {
            return lastOwner;
        }

        var view = await ViewAsync(group, cancellationToken);
        await permissions.RemoveAllAsync(caller.WorkspaceId, PrincipalKind.Group, group.Id, cancellationToken);
        db.UserGroups.Remove(group);
        Record(caller, "User Group Deleted", group, before: view);
        await db.SaveChangesAsync(cancellationToken);
        LogDeleted(logger, group.Id, caller.WorkspaceId);
        return view;
    }

    /// <summary>Adds members (and pending invitees) by email; those already in the group stay as they are.</summary>
    public Task<Outcome<UserGroupView>> AddUsersAsync(
        Principal caller, string groupId, IReadOnlyList<string> emails, CancellationToken cancellationToken) =>
        ChangeUsersAsync(caller, groupId, emails, replace: false, cancellationToken);

    /// <summary>Makes the group's members (and pending invitees) exactly those named.</summary>
    public Task<Outcome<UserGroupView>> ReplaceUsersAsync(
        Principal caller, string groupId, IReadOnlyList<string> emails, CancellationToken cancellationToken) =>
        ChangeUsersAsync(caller, groupId, emails, replace: true, cancellationToken);

    /// <summary>Takes members and pending invitees out of the group by email; emails not in the group are ignored.</summary>
    public async Task<Outcome<UserGroupView>> RemoveUsersAsync(
        Principal caller, string groupId, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing user groups");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        if (emails.Count == 0)
        {
            return Problem.Invalid("emails must name at least one person.", "emails");
        }

        var normalized = emails.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var users = await db.UserGroupMembers.Where(m => m.GroupId == group.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { Member = m, u.Email, u.NormalizedEmail })
            .Where(x => normalized.Contains(x.NormalizedEmail))
            .ToListAsync(cancellationToken);
        var invites = await db.UserGroupInvites.Where(m => m.GroupId == group.Id)
            .Join(db.Invites, m => m.InviteId, i => i.Id, (m, i) => new { Member = m, i.Email, i.NormalizedEmail })
            .Where(x => normalized.Contains(x.NormalizedEmail))
            .ToListAsync(cancellationToken);

        var guard = await OwnerGuard.LoadAsync(db, caller.WorkspaceId, cancellationToken);
        guard.RemoveGroupMembers(group.Id, users.Select(u => u.Member.UserId));
        if (guard.Check("emails") is { } lastOwner)
        {
            return lastOwner;
        }

        db.UserGroupMembers.RemoveRange(users.Select(u => u.Member));
        db.UserGroupInvites.RemoveRange(invites.Select(i => i.Member));
        Record(caller, "User Group Members Removed", group,
            before: new { emails = users.Select(u => u.Email).Concat(invites.Select(i => i.Email)).Order(StringComparer.Ordinal).ToList() });
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(group, cancellationToken);
    }

    public async Task<Outcome<GroupMemberPage>> UsersAsync(
        Principal caller, string groupId, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing a user group's members");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        var users = db.Users.AsNoTracking().Where(u => db.UserGroupMembers.Any(m => m.GroupId == group.Id && m.UserId == u.Id));
        var total = await users.CountAsync(cancellationToken);
        var page = await users.OrderBy(u => u.NormalizedEmail).Skip(offset).Take(count)
            .Select(u => new GroupMemberView(u.Id, u.Name, u.Email))
            .ToListAsync(cancellationToken);
        return new GroupMemberPage(page, total);
    }

    /// <summary>The emails of people invited to the workspace as members of this group who have not joined yet.</summary>
    public async Task<Outcome<EmailPage>> InvitesAsync(
        Principal caller, string groupId, int offset, int count, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing a user group's invites");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        var invites = db.Invites.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && db.UserGroupInvites.Any(m => m.GroupId == group.Id && m.InviteId == i.Id));
        var total = await invites.CountAsync(cancellationToken);
        var page = await invites.OrderBy(i => i.NormalizedEmail).Skip(offset).Take(count).Select(i => i.Email).ToListAsync(cancellationToken);
        return new EmailPage(page, total);
    }

    public Task<Outcome<IReadOnlyList<PermissionView>>> AddPermissionsAsync(
        Principal caller, string groupId, IReadOnlyList<PermissionInput> inputs, CancellationToken cancellationToken) =>
        GrantAsync(caller, groupId, inputs, replace: false, cancellationToken);

    public Task<Outcome<IReadOnlyList<PermissionView>>> ReplacePermissionsAsync(
        Principal caller, string groupId, IReadOnlyList<PermissionInput> inputs, CancellationToken cancellationToken) =>
        GrantAsync(caller, groupId, inputs, replace: true, cancellationToken);

    private async Task<Outcome<IReadOnlyList<PermissionView>>> GrantAsync(
        Principal caller, string groupId, IReadOnlyList<PermissionInput> inputs, bool replace, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing permissions");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        var holder = new PermissionHolder(PrincipalKind.Group, group.Id, AuditResourceTypes.UserGroup, group.Name);
        return await permissions.GrantAsync(caller, holder, inputs, replace, cancellationToken);
    }

    private async Task<Outcome<UserGroupView>> ChangeUsersAsync(
        Principal caller, string groupId, IReadOnlyList<string> emails, bool replace, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing user groups");
        }

        var group = await FindGroupAsync(caller.WorkspaceId, groupId, cancellationToken);
        if (group is null)
        {
            return Problem.NotFound("User group");
        }

        if (!replace && emails.Count == 0)
        {
            return Problem.Invalid("emails must name at least one person.", "emails");
        }

        var resolved = await ResolveAsync(caller.WorkspaceId, emails, cancellationToken);
        if (resolved.Problem is { } unknown)
        {
            return unknown;
        }

        var (users, invites) = resolved.Value!;
        var currentUsers = await db.UserGroupMembers.Where(m => m.GroupId == group.Id).ToListAsync(cancellationToken);
        var currentInvites = await db.UserGroupInvites.Where(m => m.GroupId == group.Id).ToListAsync(cancellationToken);
        var userIds = users.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var inviteIds = invites.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var before = await EmailsAsync(group.Id, cancellationToken);

        if (replace)
        {
            var guard = await OwnerGuard.LoadAsync(db, caller.WorkspaceId, cancellationToken);
            guard.SetGroupMembers(group.Id, userIds);
            if (guard.Check("emails") is { } lastOwner)
            {
                return lastOwner;
            }

            db.UserGroupMembers.RemoveRange(currentUsers.Where(m => !userIds.Contains(m.UserId)));
            db.UserGroupInvites.RemoveRange(currentInvites.Where(m => !inviteIds.Contains(m.InviteId)));
        }

        foreach (var id in userIds.Where(id => currentUsers.All(m => m.UserId != id)))
        {
            db.UserGroupMembers.Add(new UserGroupMemberEntity { GroupId = group.Id, UserId = id });
        }

        foreach (var id in inviteIds.Where(id => currentInvites.All(m => m.InviteId != id)))
        {
            db.UserGroupInvites.Add(new UserGroupInviteEntity { GroupId = group.Id, InviteId = id });
        }

        var named = users.Select(u => u.Email).Concat(invites.Select(i => i.Email)).Order(StringComparer.Ordinal).ToList();
        if (replace)
        {
            Record(caller, "User Group Members Replaced", group, new { emails = before }, new { emails = named });
        }
        else
        {
            Record(caller, "User Group Members Added", group, after: new { emails = named });
        }

        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(group, cancellationToken);
    }

    /// <summary>Each email to a member of the workspace or, failing that, a pending invite to it.</summary>
    private async Task<Outcome<Resolved>> ResolveAsync(string workspaceId, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        var normalized = emails.Select(Normalize).ToList();
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking()
            .Where(u => normalized.Contains(u.NormalizedEmail) && db.WorkspaceMembers.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id))
            .ToListAsync(cancellationToken);
        var invites = await db.Invites.AsNoTracking()
            .Where(i => i.WorkspaceId == workspaceId && normalized.Contains(i.NormalizedEmail)
                && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ToListAsync(cancellationToken);

        var foundUsers = new List<UserEntity>();
        var foundInvites = new List<InviteEntity>();
        for (var i = 0; i < normalized.Count; i++)
        {
            if (users.FirstOrDefault(u => u.NormalizedEmail == normalized[i]) is { } user)
            {
                foundUsers.Add(user);
            }
            else if (invites.Where(v => v.NormalizedEmail == normalized[i]).MaxBy(v => v.CreatedAt) is { } invite)
            {
                foundInvites.Add(invite);
            }
            else
            {
                return Problem.Invalid(
                    $"emails[{i}]: {emails[i]} is neither a member of this workspace nor invited to it; invite them first.", $"emails[{i}]");
            }
        }

        return new Resolved(foundUsers.DistinctBy(u => u.Id).ToList(), foundInvites.DistinctBy(v => v.Id).ToList());
    }

    private async Task<List<string>> EmailsAsync(string groupId, CancellationToken cancellationToken)
    {
        var users = await db.Users.Where(u => db.UserGroupMembers.Any(m => m.GroupId == groupId && m.UserId == u.Id))
            .Select(u => u.Email).ToListAsync(cancellationToken);
        var invites = await db.Invites.Where(i => db.UserGroupInvites.Any(m => m.GroupId == groupId && m.InviteId == i.Id))
            .Select(i => i.Email).ToListAsync(cancellationToken);
        return users.Concat(invites).Order(StringComparer.Ordinal).ToList();
    }

    private static string Normalize(string email) => email.Trim().ToUpperInvariant();

    private Task<UserGroupEntity?> FindGroupAsync(string workspaceId, string groupId, CancellationToken cancellationToken, bool tracked = false)
    {
        var groups = tracked ? db.UserGroups : db.UserGroups.AsNoTracking();
        return groups.FirstOrDefaultAsync(g => g.Id == groupId && g.WorkspaceId == workspaceId, cancellationToken);
    }

    private async Task<UserGroupView> ViewAsync(UserGroupEntity group, CancellationToken cancellationToken) =>
        (await ViewsAsync(group.WorkspaceId, [group], cancellationToken))[0];

    private async Task<IReadOnlyList<UserGroupView>> ViewsAsync(
        string workspaceId, IReadOnlyList<UserGroupEntity> groups, CancellationToken cancellationToken)
    {
        var ids = groups.Select(g => g.Id).ToList();
        var counts = await db.UserGroupMembers.Where(m => ids.Contains(m.GroupId))
            .GroupBy(m => m.GroupId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var granted = await permissions.ViewsAsync(workspaceId, PrincipalKind.Group, ids, cancellationToken);
        return groups.Select(g => new UserGroupView(g.Id, g.Name, counts.GetValueOrDefault(g.Id), granted.GetValueOrDefault(g.Id) ?? [])).ToList();
    }

    private static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    private Task<bool> NameTakenAsync(string workspaceId, string name, string? exceptGroupId, CancellationToken cancellationToken) =>
        db.UserGroups.AnyAsync(g => g.WorkspaceId == workspaceId && g.Name == name && g.Id != exceptGroupId, cancellationToken);

    private static Problem NameConflict(string name) =>
        Problem.Conflict($"This workspace already has a user group named \"{name}\".", "name");

    /// <summary>Saves, turning a lost race for a name (the unique index) into the same conflict the check answers.</summary>
    private async Task<Problem?> TrySaveAsync(UserGroupEntity group, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            if (await NameTakenAsync(group.WorkspaceId, group.Name, group.Id, CancellationToken.None))
            {
                return NameConflict(group.Name);
            }

            throw;
        }
    }

    private void Record(Principal caller, string type, UserGroupEntity group, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, AuditResourceTypes.UserGroup, group.Id, group.Name, before, after);

    private sealed record Resolved(IReadOnlyList<UserEntity> Users, IReadOnlyList<InviteEntity> Invites);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created user group {GroupId} in workspace {WorkspaceId}.")]
    private static partial void LogCreated(ILogger logger, string groupId, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted user group {GroupId} from workspace {WorkspaceId}.")]
    private static partial void LogDeleted(ILogger logger, string groupId, string workspaceId);
}
