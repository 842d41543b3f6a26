using Junction.Workspace.Data;
using Microsoft.AspNetCore.Identity;

namespace Junction.Workspace.Accounts;

/// <summary>
/// The password policy and password hashing: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with
/// a per-password salt and a format that upgrades itself), without Identity's stores.
/// </summary>
internal static class Passwords
{
    public const int MinLength = 10;

    /// <summary>An upper bound, so that hashing a huge input cannot be used to tie up the server.</summary>
    public const int MaxLength = 512;

    private static readonly PasswordHasher<UserEntity> Hasher = new();

    /// <summary>A hash of no one's password, verified when the email is unknown so that both cases take as long.</summary>
    private static readonly Lazy<string> Decoy = new(() => Hasher.HashPassword(null!, Convert.ToBase64String(Guid.NewGuid().ToByteArray())));

    /// <summary>The reason a new password is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password) => password switch
    {
        null or "" => "Enter a password.",
        { Length: < MinLength } => $"Use at least {MinLength} characters for the password.",
        { Length: > MaxLength } => $"Use at most {MaxLength} characters for the password.",
        _ when string.IsNullOrWhiteSpace(password) => "The password cannot be only spaces.",
        _ => null,
    };

    public static string Hash(UserEntity user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Whether <paramref name="password"/> is the user's; a stored hash in an older format is upgraded.</summary>
    public static bool Verify(UserEntity user, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaxLength)
        {
            return false;
        }

        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Spends the time a verification takes, for a sign-in with an unknown email.</summary>
    public static void VerifyDecoy(string? password) =>
        Hasher.VerifyHashedPassword(null!, Decoy.Value, string.IsNullOrEmpty(password) || password.Length > MaxLength ? "-" : password);

    /// <summary>A new random security stamp: changing it ends every session that carries the old one.</summary>
    public static string NewSecurityStamp() => Ids.Random(32);
}
