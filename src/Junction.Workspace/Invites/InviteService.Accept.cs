using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Invites;

/// <summary>What an invite link is worth when it is opened.</summary>
internal enum InviteLinkState
{
    Usable,

    /// <summary>No invite has this token: a wrong link, or one replaced by sending the invite again.</summary>
    Unknown,
    Expired,
    Accepted,
    Revoked,
}

/// <summary>An opened invite link: its state and, when usable, what the page needs to show.</summary>
internal sealed record InviteLink(InviteLinkState State, string? WorkspaceName = null, string? Email = null, bool AccountExists = false)
{
    public string Explanation => State switch
    {
        InviteLinkState.Usable => "",
        InviteLinkState.Expired => "This invite has expired. Ask a Workspace Owner to send it again.",
        InviteLinkState.Accepted => "This invite was accepted already. Sign in to open the workspace.",
        InviteLinkState.Revoked => "This invite was withdrawn, or a newer one was sent to the same address: use the link in the latest email.",
        _ => "This invite link does not work. Check that you copied the whole link, or ask for a new invite.",
    };
}

internal sealed partial class InviteService
{
    /// <summary>What an invite link leads to; tells whether an account exists for its address (the link holder owns the address).</summary>
    public async Task<InviteLink> InspectAsync(string? token, CancellationToken cancellationToken)
    {
        var invite = await FindAsync(token, cancellationToken);
        var state = StateOf(invite);
        if (state != InviteLinkState.Usable)
        {
            return new InviteLink(state);
        }

        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == invite!.WorkspaceId, cancellationToken);
        var exists = await db.Users.AnyAsync(u => u.NormalizedEmail == invite!.NormalizedEmail, cancellationToken);
        return new InviteLink(state, workspace.Name, invite!.Email, exists);
    }

    /// <summary>Accepts an invite by creating the account of its address, with a name and a password.</summary>
    public async Task<Outcome<UserEntity>> AcceptWithNewAccountAsync(
        string? token, string? name, string? password, CancellationToken cancellationToken)
    {
        var invite = await FindAsync(token, cancellationToken);
        if (StateOf(invite) is var state and not InviteLinkState.Usable)
        {
            return Problem.Invalid(new InviteLink(state).Explanation, "token");
        }

        if (AccountService.CheckName(name) is { } badName)
        {
            return Problem.Invalid(badName, "Name");
        }

        if (Passwords.Check(password) is { } badPassword)
        {
            return Problem.Invalid(badPassword, "Password");
        }

        if (await accounts.FindByEmailAsync(invite!.Email, cancellationToken) is not null)
        {
            return Problem.Conflict($"An account with the address {invite.Email} exists already: sign in to accept.", "token");
        }

        var user = AccountService.NewUser(invite.Email, name!, password!, time.GetUtcNow());
        db.Users.Add(user);
        return await JoinAsync(invite, user, cancellationToken);
    }

    /// <summary>
    /// Accepts an invite for an existing account, signed in (or whose password was just checked) by the caller. The
    /// account's address must be the invite's.
    /// </summary>
    public async Task<Outcome<UserEntity>> AcceptAsUserAsync(string? token, string userId, CancellationToken cancellationToken)
    {
        var invite = await FindAsync(token, cancellationToken);
        if (StateOf(invite) is var state and not InviteLinkState.Usable)
        {
            return Problem.Invalid(new InviteLink(state).Explanation, "token");
        }

        var user = await accounts.FindAsync(userId, cancellationToken);
        if (user is null)
        {
            return Problem.NotFound("User");
        }

        if (user.NormalizedEmail != invite!.NormalizedEmail)
        {
            return Problem.Invalid(
                $"This invite is for {invite.Email}, and you are signed in as {user.Email}. Sign out, then open the link again.", "token");
        }

        return await JoinAsync(invite, user, cancellationToken);
    }

    /// <summary>
    /// Makes the user a member with the invite's permissions and groups, and uses the invite up. A conditional update
    /// settles two acceptances of one link at the same time: only one of them joins.
    /// </summary>
    private async Task<Outcome<UserEntity>> JoinAsync(InviteEntity invite, UserEntity user, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var used = await db.Invites
            .Where(i => i.Id == invite.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now), cancellationToken);
        if (used != 1)
        {
            return Problem.Invalid(new InviteLink(InviteLinkState.Accepted).Explanation, "token");
        }

        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == invite.WorkspaceId && m.UserId == user.Id, cancellationToken))
        {
            Membership.AddMember(db, invite.WorkspaceId, user.Id, now);
        }

        var held = await db.Permissions
            .Where(p => p.WorkspaceId == invite.WorkspaceId && p.PrincipalKind == PrincipalKind.Invite && p.PrincipalId == invite.Id)
            .ToListAsync(cancellationToken);
        foreach (var permission in held)
        {
            permission.PrincipalKind = PrincipalKind.User;
            permission.PrincipalId = user.Id;
        }

        var groupPlaces = await db.UserGroupInvites.Where(g => g.InviteId == invite.Id).ToListAsync(cancellationToken);
        var groupIds = groupPlaces.Select(g => g.GroupId).ToList();
        var alreadyIn = await db.UserGroupMembers.Where(m => m.UserId == user.Id && groupIds.Contains(m.GroupId))
            .Select(m => m.GroupId).ToListAsync(cancellationToken);
        foreach (var groupId in groupIds.Except(alreadyIn, StringComparer.Ordinal))
        {
            db.UserGroupMembers.Add(new UserGroupMemberEntity { GroupId = groupId, UserId = user.Id });
        }

        db.UserGroupInvites.RemoveRange(groupPlaces);
        audit.Record(
            invite.WorkspaceId, AccountService.ActorOf(user), "Invite Accepted", AuditResourceTypes.Invite, invite.Id, invite.Email,
            after: new { userId = user.Id, email = user.Email, roles = held.Select(p => p.RoleId).Distinct(), groups = groupIds });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogAccepted(invite.Id, invite.WorkspaceId, user.Id);
        return user;
    }

    private async Task<InviteEntity?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var hash = OneTimeTokens.Hash(token);
        return await db.Invites.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
    }

    private InviteLinkState StateOf(InviteEntity? invite) => invite switch
    {
        null => InviteLinkState.Unknown,
        { AcceptedAt: not null } => InviteLinkState.Accepted,
        { RevokedAt: not null } => InviteLinkState.Revoked,
        _ when invite.ExpiresAt <= time.GetUtcNow() => InviteLinkState.Expired,
        _ => InviteLinkState.Usable,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Invite {InviteId} to workspace {WorkspaceId} accepted by user {UserId}")]
    private partial void LogAccepted(string inviteId, string workspaceId, string userId);
}
