using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Accounts;

internal enum SignInStatus
{
    Succeeded,

    /// <summary>The email is unknown or the password is wrong; which of the two is never told.</summary>
    Failed,

    /// <summary>Too many wrong passwords: no password is accepted until <see cref="SignInResult.LockedUntil"/>.</summary>
    LockedOut,
}

internal sealed record SignInResult(SignInStatus Status, UserEntity? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Email and password accounts: checking a sign-in (with lockout), changing the password and ending every session.
/// Account changes are recorded in the audit trail of each workspace the user belongs to.
/// </summary>
internal sealed partial class AccountService(
    JunctionDbContext db,
    AuditTrail audit,
    IOptions<AccountsOptions> options,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const int MaxNameLength = 200;

    /// <summary>
    /// Checks an email and password. After <see cref="AccountsOptions.MaxFailedSignIns"/> wrong passwords in a row the
    /// account is locked for <see cref="AccountsOptions.LockoutDuration"/>. An unknown email costs the same time as a
    /// wrong password and gets the same answer.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var user = EmailAddresses.IsValid(email) ? await FindByEmailAsync(email!, cancellationToken) : null;
        if (user is null)
        {
            Passwords.VerifyDecoy(password);
            LogUnknownAccount();
            return new SignInResult(SignInStatus.Failed);
        }

        var now = time.GetUtcNow();
        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            LogStillLockedOut(user.Id);
            return new SignInResult(SignInStatus.LockedOut, LockedUntil: lockedUntil);
        }

        if (!Passwords.Verify(user, password))
        {
            return await CountFailureAsync(user.Id, now, cancellationToken);
        }

        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogSignedIn(user.Id);
        return new SignInResult(SignInStatus.Succeeded, user);
    }

    public Task<UserEntity?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddresses.Normalize(email);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public Task<UserEntity?> FindAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);

    /// <summary>
    /// Changes a signed-in user's password after checking the current one. The security stamp changes too, so every
    /// other session ends; the caller renews its own session with the user answered.
    /// </summary>
    public async Task<Outcome<UserEntity>> ChangePasswordAsync(
        string userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userId, cancellationToken);
        if (user is null)
        {
            return Problem.NotFound("User");
        }

        if (!Passwords.Verify(user, currentPassword))
        {
            return Problem.Invalid("The current password is not right.", "CurrentPassword");
        }

        if (Passwords.Check(newPassword) is { } weak)
        {
            return Problem.Invalid(weak, "NewPassword");
        }

        user.PasswordHash = Passwords.Hash(user, newPassword!);
        user.SecurityStamp = Passwords.NewSecurityStamp();
        await RecordAsync(user, "Password Changed", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        LogPasswordChanged(user.Id);
        return user;
    }

    /// <summary>Ends every session of the user, this one included, by changing the security stamp.</summary>
    public async Task<Outcome<UserEntity>> SignOutEverywhereAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userId, cancellationToken);
        if (user is null)
        {
            return Problem.NotFound("User");
        }

        user.SecurityStamp = Passwords.NewSecurityStamp();
        await RecordAsync(user, "Signed Out Everywhere", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        LogSignedOutEverywhere(user.Id);
        return user;
    }

    /// <summary>
    /// Records a change to a user's account in the audit trail of every workspace the user belongs to (the entries
    /// are saved with the caller's next <c>SaveChanges</c>). Only the fact is recorded, never a password or token.
    /// </summary>
    public async Task RecordAsync(UserEntity user, string type, CancellationToken cancellationToken)
    {
        var workspaces = await db.WorkspaceMembers.AsNoTracking()
            .Where(m => m.UserId == user.Id)
            .Select(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        foreach (var workspaceId in workspaces)
        {
            audit.Record(workspaceId, ActorOf(user), type, AuditResourceTypes.User, user.Id, user.Email);
        }
    }

    public static Actor ActorOf(UserEntity user) => new(ActorKind.User, user.Id, user.Email);

    /// <summary>The reason a person's name is refused, or null when it is acceptable.</summary>
    public static string? CheckName(string? name) => name?.Trim() switch
    {
        null or "" => "Enter your name.",
        { Length: > MaxNameLength } => $"Use at most {MaxNameLength} characters for the name.",
        _ => null,
    };

    /// <summary>A new user (not yet added to the context) with a hashed password and a fresh security stamp.</summary>
    public static UserEntity NewUser(string email, string name, string password, DateTimeOffset now)
    {
        var user = new UserEntity
        {
            Id = Ids.New("usr"),
            Email = email.Trim(),
            NormalizedEmail = EmailAddresses.Normalize(email),
            Name = name.Trim(),
            PasswordHash = "",
            SecurityStamp = Passwords.NewSecurityStamp(),
            CreatedAt = now,
        };
        user.PasswordHash = Passwords.Hash(user, password);
        return user;
    }

    private async Task<SignInResult> CountFailureAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Counted in the database, so that attempts made at the same time on several requests all count.
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), cancellationToken);
        var failures = await db.Users.Where(u => u.Id == userId).Select(u => u.FailedSignIns).FirstAsync(cancellationToken);
        if (failures < options.Value.MaxFailedSignIns)
        {
            LogWrongPassword(userId, failures);
            return new SignInResult(SignInStatus.Failed);
        }

        var until = now + options.Value.LockoutDuration;
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, until), cancellationToken);
        LogLockedOut(userId, failures, until);
        return new SignInResult(SignInStatus.LockedOut, LockedUntil: until);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in")]
    private partial void LogSignedIn(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: no account has that email")]
    private partial void LogUnknownAccount();

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused for user {UserId}: wrong password ({Failures} in a row)")]
    private partial void LogWrongPassword(string userId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} is locked out until {Until} after {Failures} wrong passwords in a row")]
    private partial void LogLockedOut(string userId, int failures, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused for user {UserId}: the account is locked out")]
    private partial void LogStillLockedOut(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} changed their password")]
    private partial void LogPasswordChanged(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed out everywhere")]
    private partial void LogSignedOutEverywhere(string userId);
}
