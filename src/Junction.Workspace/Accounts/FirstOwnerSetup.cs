using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Accounts;

/// <summary>
/// The first account of a fresh install. While no user exists, every start of <c>serve</c> issues a new one-time setup
/// token (earlier ones stop working) and prints its link; whoever opens it creates the first Workspace Owner of the
/// default workspace. <c>users create-owner</c> does the same without a browser.
/// </summary>
internal sealed partial class FirstOwnerSetup(JunctionDbContext db, TimeProvider time, ILogger<FirstOwnerSetup> logger)
{
    public static readonly Problem LinkNotUsable = Problem.Invalid(
        "This setup link does not work any more: it was used already, or the server was restarted and printed a new one.", "token");

    /// <summary>A new setup token when no account exists yet (replacing any earlier one), else null.</summary>
    public static async Task<string?> IssueTokenAsync(JunctionDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        var (token, hash) = OneTimeTokens.New();
        db.SetupTokens.Add(new SetupTokenEntity { TokenHash = hash, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Whether the install has no account yet (setup has not been done).</summary>
    public async Task<bool> NoAccountYetAsync(CancellationToken cancellationToken) => !await db.Users.AnyAsync(cancellationToken);

    /// <summary>Whether a setup link still works: its token is the current one, unused, and no account exists yet.</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var hash = OneTimeTokens.Hash(token);
        return await db.SetupTokens.AnyAsync(t => t.TokenHash == hash && t.UsedAt == null, cancellationToken)
            && !await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Uses a setup token (once) to create the first Workspace Owner.</summary>
    public async Task<Outcome<UserEntity>> CompleteAsync(
        string? token, string? email, string? name, string? password, CancellationToken cancellationToken)
    {
        if (Check(email, name, password) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hash = OneTimeTokens.Hash(token ?? "");
        var used = await db.SetupTokens
            .Where(t => t.TokenHash == hash && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, time.GetUtcNow()), cancellationToken);
        if (used != 1 || await db.Users.AnyAsync(cancellationToken))
        {
            return LinkNotUsable;
        }

        var outcome = await CreateOwnerAsync(db, new AuditTrail(db, time), time, email, name, password, cancellationToken);
        if (outcome.Value is { } user)
        {
            await transaction.CommitAsync(cancellationToken);
            LogSetUp(user.Id);
        }

        return outcome;
    }

    /// <summary>
    /// Creates an account that is a Workspace Owner of the default (oldest) workspace, with its audit entry. Used by
    /// setup and by the <c>users create-owner</c> verb, which works on the database directly.
    /// </summary>
    public static async Task<Outcome<UserEntity>> CreateOwnerAsync(
        JunctionDbContext db, AuditTrail audit, TimeProvider time, string? email, string? name, string? password,
        CancellationToken cancellationToken)
    {
        if (Check(email, name, password) is { } invalid)
        {
            return invalid;
        }

        var normalized = EmailAddresses.Normalize(email!);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return Problem.Conflict($"An account with the email {email!.Trim()} exists already.", "email");
        }

        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            return Problem.NotFound("Workspace");
        }

        var now = time.GetUtcNow();
        var user = AccountService.NewUser(email!, name!, password!, now);
        db.Users.Add(user);
        Membership.AddOwner(db, workspace.Id, user.Id, now);
        audit.Record(
            workspace.Id, AccountService.ActorOf(user), "Member Added", AuditResourceTypes.User, user.Id, user.Email,
            after: new { email = user.Email, name = user.Name, roles = new[] { Roles.WorkspaceOwner.Name } });
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private static Problem? Check(string? email, string? name, string? password) =>
        !EmailAddresses.IsValid(email) ? Problem.Invalid(EmailAddresses.InvalidMessage(email), "email")
        : AccountService.CheckName(name) is { } badName ? Problem.Invalid(badName, "name")
        : Passwords.Check(password) is { } badPassword ? Problem.Invalid(badPassword, "password")
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Setup finished: user {UserId} is the first Workspace Owner")]
    private partial void LogSetUp(string userId);
}
