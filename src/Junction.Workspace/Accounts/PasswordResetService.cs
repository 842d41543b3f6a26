using Junction.Workspace.Data;
using Junction.Workspace.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Accounts;

/// <summary>
/// Password reset by email: a link with a 256-bit token, stored hashed, that works once and for
/// <see cref="AccountsOptions.PasswordResetLifetime"/>. The sign-in pages ask for one through
/// <see cref="PasswordResetRequests"/>, which answers at once and the same whether or not the email has an account.
/// </summary>
internal sealed partial class PasswordResetService(
    JunctionDbContext db,
    AccountService accounts,
    IEmailSender email,
    PublicLinks links,
    IOptions<AccountsOptions> options,
    TimeProvider time,
    ILogger<PasswordResetService> logger)
{
    public static readonly Problem LinkNotUsable = Problem.Invalid(
        "This reset link does not work any more: it was used already or it expired. Ask for a new one.", "token");

    /// <summary>Sends a reset link when <paramref name="address"/> has an account; does nothing otherwise.</summary>
    public async Task RequestAsync(string? address, CancellationToken cancellationToken)
    {
        var user = EmailAddresses.IsValid(address) ? await accounts.FindByEmailAsync(address!, cancellationToken) : null;
        if (user is null)
        {
            LogUnknownAccount();
            return;
        }

        var (token, hash) = OneTimeTokens.New();
        var now = time.GetUtcNow();
        var lifetime = options.Value.PasswordResetLifetime;
        db.PasswordResets.Add(new PasswordResetEntity
        {
            Id = Ids.New("pwr"),
            UserId = user.Id,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);

        var message = EmailLayout.Compose(
            user.Email,
            "Reset your Junction password",
            [
                $"Hello {user.Name},",
                $"Someone asked to reset the password of the Junction account {user.Email}. If it was you, choose a new password with the link below. It works once, for {Durations.Describe(lifetime)}.",
            ],
            "Choose a new password",
            links.ResetPassword(token),
            "If you did not ask for this, ignore this email: your password stays as it is.");
        var sent = await email.SendAsync(message, cancellationToken);
        LogRequested(user.Id, sent);
    }

    /// <summary>Whether a reset link still works (known, unused, not expired).</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken) =>
        await FindUsableAsync(token, cancellationToken) is not null;

    /// <summary>
    /// Sets a new password with a reset link. The link is used up, every session of the account ends (new security
    /// stamp), and a lockout is lifted. A refused password leaves the link usable.
    /// </summary>
    public async Task<Outcome<UserEntity>> ResetAsync(string? token, string? newPassword, CancellationToken cancellationToken)
    {
        var reset = await FindUsableAsync(token, cancellationToken);
        if (reset is null)
        {
            return LinkNotUsable;
        }

        if (Passwords.Check(newPassword) is { } weak)
        {
            return Problem.Invalid(weak, "NewPassword");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();

        // The conditional update settles two uses of one link at the same time: only one of them changes the row.
        var used = await db.PasswordResets
            .Where(r => r.Id == reset.Id && r.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken);
        var user = await accounts.FindAsync(reset.UserId, cancellationToken);
        if (used == 0 || user is null)
        {
            return LinkNotUsable;
        }

        // Other links sent to the account before stop working too.
        await db.PasswordResets
            .Where(r => r.UserId == reset.UserId && r.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken);

        user.PasswordHash = Passwords.Hash(user, newPassword!);
        user.SecurityStamp = Passwords.NewSecurityStamp();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await accounts.RecordAsync(user, "Password Reset", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogReset(user.Id);
        return user;
    }

    private async Task<PasswordResetEntity?> FindUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var hash = OneTimeTokens.Hash(token);
        var reset = await db.PasswordResets.AsNoTracking().FirstOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
        return reset is { UsedAt: null } && reset.ExpiresAt > time.GetUtcNow() ? reset : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset asked for an email that has no account; nothing sent")]
    private partial void LogUnknownAccount();

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset link for user {UserId} created (email handed over: {Sent})")]
    private partial void LogRequested(string userId, bool sent);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} reset their password")]
    private partial void LogReset(string userId);
}
