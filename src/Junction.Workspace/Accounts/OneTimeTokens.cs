using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Junction.Workspace.Accounts;

/// <summary>
/// The secrets in setup, invite and password-reset links: 32 random bytes (256 bits) in base64url. Only their SHA-256
/// hash is stored, so a copy of the database opens nothing; a slow hash is not needed at this entropy.
/// </summary>
internal static class OneTimeTokens
{
    public const int Bytes = 32;

    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, string Hash) New()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
