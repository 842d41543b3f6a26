using System.Text.RegularExpressions;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Data;
using Junction.Workspace.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Invites;

/// <summary>An invite email waiting in the outbox: the invited address, when it was written, and its link.</summary>
internal sealed record OutboxInvite(string Email, DateTimeOffset WrittenAt, string Link);

/// <summary>
/// The invite emails of one workspace that sit in the outbox because no SMTP server is configured, so that its
/// Workspace Owners can hand the links on themselves (a one-machine install has no mail server). The outbox also
/// holds other workspaces' invites and people's password-reset links, which an owner must never see: only a message
/// whose link is the current link of a usable pending invite of the caller's workspace is answered, matched by the
/// hash of its token as the invite stores it.
/// </summary>
internal sealed partial class InviteOutbox(JunctionDbContext db, Outbox outbox, IOptions<EmailOptions> options, TimeProvider time)
{
    /// <summary>Whether emails go to the outbox (no <c>Email:Host</c>) rather than to an SMTP server.</summary>
    public bool InUse => !options.Value.UsesSmtp;

    /// <summary>The outbox's invite emails for the caller's workspace, newest first; none when an SMTP server is used.</summary>
    public async Task<Outcome<IReadOnlyList<OutboxInvite>>> ListAsync(Principal caller, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Reading the invites in the outbox");
        }

        var found = new List<OutboxInvite>();
        if (!InUse)
        {
            return Success(found);
        }

        var now = time.GetUtcNow();
        var pending = await db.Invites.AsNoTracking()
            .Where(i => i.WorkspaceId == caller.WorkspaceId && i.AcceptedAt == null && i.RevokedAt == null)
            .Select(i => new { i.TokenHash, i.Email, i.ExpiresAt })
            .ToListAsync(cancellationToken);
        var byHash = pending.Where(i => i.ExpiresAt > now).ToDictionary(i => i.TokenHash, i => i.Email, StringComparer.Ordinal);
        if (byHash.Count == 0)
        {
            return Success(found);
        }

        foreach (var message in await outbox.ListAsync(cancellationToken))
        {
            var link = AcceptLink().Match(message.Text);
            if (link.Success && byHash.TryGetValue(OneTimeTokens.Hash(Uri.UnescapeDataString(link.Groups["token"].Value)), out var email))
            {
                found.Add(new OutboxInvite(email, message.Date, link.Value));
            }
        }

        return Success(found);
    }

    private static Outcome<IReadOnlyList<OutboxInvite>> Success(IReadOnlyList<OutboxInvite> invites) => new(invites, null);

    [GeneratedRegex("https?://[^\\s\"<>]+/invite/accept\\?token=(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex AcceptLink();
}
