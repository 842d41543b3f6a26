using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Invites;

/// <summary>
/// One person to invite: their email, the permissions they will have, and the user groups they will join (ids of
/// groups of the workspace).
/// </summary>
internal sealed record NewInvite(string Email, IReadOnlyList<PermissionInput> Permissions, IReadOnlyList<string>? GroupIds = null);

/// <summary>The invites made, and the addresses whose email could not be handed to the mail server.</summary>
internal sealed record InvitesSent(IReadOnlyList<string> Emails, IReadOnlyList<string> NotDelivered);

/// <summary>An invite not yet accepted or revoked. An expired one stays listed until it is sent again or revoked.</summary>
internal sealed record PendingInvite(string Id, string Email, DateTimeOffset CreatedAt, DateTimeOffset LastSentAt, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>
/// Invites by email. A Workspace Owner invites several people at once, each with permissions and user groups that are
/// held by the invite (permissions with <see cref="PrincipalKind.Invite"/>, <see cref="UserGroupInviteEntity"/> rows)
/// until it is accepted, when they become the new member's. A link carries a 256-bit token stored hashed; it works
/// once, until it expires, and sending the invite again replaces it.
/// </summary>
internal sealed partial class InviteService(
    JunctionDbContext db,
    PermissionService permissions,
    AccountService accounts,
    AuditTrail audit,
    IEmailSender email,
    PublicLinks links,
    IOptions<InvitesOptions> options,
    TimeProvider time,
    ILogger<InviteService> logger)
{
    /// <summary>At most this many people in one request.</summary>
    public const int MaxPerRequest = 100;

    /// <summary>
    /// Invites everyone in a typed list of addresses with the same permissions and groups. When any entry is not an
    /// address, nobody is invited and the problem names every such entry.
    /// </summary>
    public async Task<Outcome<InvitesSent>> CreateFromTextAsync(
        Principal caller, string? emails, IReadOnlyList<PermissionInput> permissionInputs, IReadOnlyList<string>? groupIds,
        CancellationToken cancellationToken)
    {
        var list = EmailList.Parse(emails);
        if (list.Invalid.Count > 0)
        {
            return Problem.Invalid(
                (list.Invalid.Count == 1 ? "This is not an email address: " : "These are not email addresses: ")
                + string.Join(", ", list.Invalid.Select(e => $"\"{e}\"")) + ".",
                "emails");
        }

        return await CreateAsync(caller, list.Valid.Select(e => new NewInvite(e, permissionInputs, groupIds)).ToList(), cancellationToken);
    }

    /// <summary>
    /// Invites people and emails each a link. A pending invite for the same address is replaced (its link stops
    /// working). Nothing is saved when any invite is refused.
    /// </summary>
    public async Task<Outcome<InvitesSent>> CreateAsync(Principal caller, IReadOnlyList<NewInvite> invites, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Inviting people");
        }

        if (invites.Count is 0 or > MaxPerRequest)
        {
            return Problem.Invalid($"Give from 1 to {MaxPerRequest} people to invite.", "invites");
        }

        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        var members = await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspace.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (_, u) => u.NormalizedEmail)
            .ToListAsync(cancellationToken);
        var groups = await db.UserGroups.Where(g => g.WorkspaceId == workspace.Id).Select(g => g.Id).ToListAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var built = new List<IReadOnlyList<PermissionEntity>>();
        for (var i = 0; i < invites.Count; i++)
        {
            var invite = invites[i];
            var at = $"invites[{i}]";
            if (!EmailAddresses.IsValid(invite.Email))
            {
                return Problem.Invalid($"{at}.email: {EmailAddresses.InvalidMessage(invite.Email)}", $"{at}.email");
            }

            var normalized = EmailAddresses.Normalize(invite.Email);
            if (!seen.Add(normalized))
            {
                return Problem.Invalid($"{at}.email: {invite.Email.Trim()} is given twice.", $"{at}.email");
            }

            if (members.Contains(normalized, StringComparer.Ordinal))
            {
                return Problem.Conflict($"{at}.email: {invite.Email.Trim()} is a member of this workspace already.", $"{at}.email");
            }

            if ((invite.GroupIds ?? []).FirstOrDefault(g => !groups.Contains(g, StringComparer.Ordinal)) is { } unknownGroup)
            {
                return Problem.Invalid($"{at}.groups: there is no user group \"{unknownGroup}\" in this workspace.", $"{at}.groups");
            }

            var granted = await permissions.BuildAsync(workspace.Id, invite.Permissions, $"{at}.permissions", cancellationToken);
            if (granted.Problem is { } badPermission)
            {
                return badPermission;
            }

            built.Add(granted.Value!);
        }

        var now = time.GetUtcNow();
        var toSend = new List<(InviteEntity Invite, string Token)>();
        for (var i = 0; i < invites.Count; i++)
        {
            await RetirePendingAsync(workspace.Id, EmailAddresses.Normalize(invites[i].Email), now, cancellationToken);
            var (invite, token) = NewEntity(workspace.Id, invites[i].Email, caller, now);
            db.Invites.Add(invite);
            foreach (var permission in built[i])
            {
                permission.PrincipalKind = PrincipalKind.Invite;
                permission.PrincipalId = invite.Id;
                db.Permissions.Add(permission);
            }

            foreach (var groupId in (invites[i].GroupIds ?? []).Distinct(StringComparer.Ordinal))
            {
                db.UserGroupInvites.Add(new UserGroupInviteEntity { GroupId = groupId, InviteId = invite.Id });
            }

            audit.Record(
                workspace.Id, Actor.Of(caller), "Invite Sent", AuditResourceTypes.Invite, invite.Id, invite.Email,
                after: new
                {
                    email = invite.Email,
                    permissions = built[i].Select(p => new { roleId = p.RoleId, resources = p.Resources.Select(r => new { id = r.ResourceId, type = r.Type }), labels = p.Labels.Select(l => new { key = l.Key, value = l.Value }) }),
                    groups = invites[i].GroupIds ?? [],
                    expiresAt = invite.ExpiresAt,
                });
            toSend.Add((invite, token));
        }

        await db.SaveChangesAsync(cancellationToken);
        var notDelivered = new List<string>();
        foreach (var (invite, token) in toSend)
        {
            LogInvited(invite.Id, workspace.Id);
            if (!await SendAsync(invite, token, workspace.Name, caller, cancellationToken))
            {
                notDelivered.Add(invite.Email);
            }
        }

        return new InvitesSent(toSend.Select(s => s.Invite.Email).ToList(), notDelivered);
    }

    /// <summary>The workspace's pending invites, by email. Workspace Owners only.</summary>
    public async Task<Outcome<IReadOnlyList<PendingInvite>>> ListPendingAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Listing invites");
        }

        var now = time.GetUtcNow();
        var invites = await Pending(caller.WorkspaceId).AsNoTracking().ToListAsync(cancellationToken);
        return invites
            .OrderBy(i => i.NormalizedEmail, StringComparer.Ordinal)
            .Select(i => new PendingInvite(i.Id, i.Email, i.CreatedAt, i.LastSentAt, i.ExpiresAt, i.ExpiresAt <= now))
            .ToList();
    }

    /// <summary>Sends a pending invite again with a new link (the previous link stops working) and a new expiry.</summary>
    public async Task<Outcome<PendingInvite>> ResendAsync(Principal caller, string? address, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Sending invites");
        }

        var normalized = EmailAddresses.Normalize(address ?? "");
        var invite = await Pending(caller.WorkspaceId).FirstOrDefaultAsync(i => i.NormalizedEmail == normalized, cancellationToken);
        if (invite is null)
        {
            return NoPendingInvite(address);
        }

        var (token, hash) = OneTimeTokens.New();
        var now = time.GetUtcNow();
        invite.TokenHash = hash;
        invite.LastSentAt = now;
        invite.ExpiresAt = now + options.Value.LinkLifetime;
        audit.Record(
            caller.WorkspaceId, Actor.Of(caller), "Invite Resent", AuditResourceTypes.Invite, invite.Id, invite.Email,
            after: new { email = invite.Email, expiresAt = invite.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        LogResent(invite.Id, caller.WorkspaceId);
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        await SendAsync(invite, token, workspace.Name, caller, cancellationToken);
        return new PendingInvite(invite.Id, invite.Email, invite.CreatedAt, invite.LastSentAt, invite.ExpiresAt, false);
    }

    /// <summary>
    /// Revokes the pending invites of the given addresses: their links stop working and the permissions and group
    /// places they held are removed. When an address has no pending invite, nothing is revoked.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<string>>> RevokeAsync(Principal caller, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Revoking invites");
        }

        if (addresses.Count == 0)
        {
            return Problem.Invalid("Give the email addresses whose invites to revoke.", "emails");
        }

        var normalized = addresses.Select(EmailAddresses.Normalize).Distinct(StringComparer.Ordinal).ToList();
        var invites = await Pending(caller.WorkspaceId).Where(i => normalized.Contains(i.NormalizedEmail)).ToListAsync(cancellationToken);
        if (addresses.FirstOrDefault(a => !invites.Any(i => i.NormalizedEmail == EmailAddresses.Normalize(a))) is { } missing)
        {
            return NoPendingInvite(missing);
        }

        var now = time.GetUtcNow();
        foreach (var invite in invites)
        {
            await RetireAsync(invite, now, cancellationToken);
            audit.Record(
                caller.WorkspaceId, Actor.Of(caller), "Invite Revoked", AuditResourceTypes.Invite, invite.Id, invite.Email,
                before: new { email = invite.Email });
        }

        await db.SaveChangesAsync(cancellationToken);
        return invites.Select(i => i.Email).ToList();
    }

    private IQueryable<InviteEntity> Pending(string workspaceId) =>
        db.Invites.Where(i => i.WorkspaceId == workspaceId && i.AcceptedAt == null && i.RevokedAt == null);

    private static Problem NoPendingInvite(string? address) =>
        new(ProblemKind.NotFound, $"There is no pending invite for {address?.Trim()}.", "emails");

    private (InviteEntity Invite, string Token) NewEntity(string workspaceId, string address, Principal caller, DateTimeOffset now)
    {
        var (token, hash) = OneTimeTokens.New();
        var invite = new InviteEntity
        {
            Id = Ids.New("inv"),
            WorkspaceId = workspaceId,
            Email = address.Trim(),
            NormalizedEmail = EmailAddresses.Normalize(address),
            TokenHash = hash,
            InvitedByUserId = caller.Type == PrincipalType.User ? caller.Id : null,
            CreatedAt = now,
            LastSentAt = now,
            ExpiresAt = now + options.Value.LinkLifetime,
        };
        return (invite, token);
    }

    /// <summary>A pending invite for the same address is replaced by a new one: it is revoked (without its own audit entry).</summary>
    private async Task RetirePendingAsync(string workspaceId, string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var previous in await Pending(workspaceId).Where(i => i.NormalizedEmail == normalizedEmail).ToListAsync(cancellationToken))
        {
            await RetireAsync(previous, now, cancellationToken);
        }
    }

    private async Task RetireAsync(InviteEntity invite, DateTimeOffset now, CancellationToken cancellationToken)
    {
        invite.RevokedAt = now;
        await permissions.RemoveAllAsync(invite.WorkspaceId, PrincipalKind.Invite, invite.Id, cancellationToken);
        db.UserGroupInvites.RemoveRange(await db.UserGroupInvites.Where(g => g.InviteId == invite.Id).ToListAsync(cancellationToken));
    }

    private async Task<bool> SendAsync(InviteEntity invite, string token, string workspaceName, Principal caller, CancellationToken cancellationToken)
    {
        var name = caller.Type == PrincipalType.User
            ? await db.Users.AsNoTracking().Where(u => u.Id == caller.Id).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var inviter = name is null ? "A Workspace Owner" : $"{name} ({caller.DisplayName})";
        var message = EmailLayout.Compose(
            invite.Email,
            $"You are invited to the {workspaceName} workspace on Junction",
            [
                "Hello,",
                $"{inviter} invited you to join the workspace {workspaceName} on Junction, the customer data platform your team uses.",
                $"Accept with the link below: you will choose your name and a password, or sign in if you have a Junction account with this address already. The link works once, for {Durations.Describe(invite.ExpiresAt - invite.LastSentAt)}.",
            ],
            "Accept the invite",
            links.AcceptInvite(token),
            $"This invite was sent to {invite.Email}. If you did not expect it, you can ignore this email.");
        return await email.SendAsync(message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invite {InviteId} to workspace {WorkspaceId} created")]
    private partial void LogInvited(string inviteId, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invite {InviteId} to workspace {WorkspaceId} sent again with a new link")]
    private partial void LogResent(string inviteId, string workspaceId);
}
