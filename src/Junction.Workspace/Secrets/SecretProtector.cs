using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Junction.Workspace.Secrets;

/// <summary>
/// Encrypts secrets stored in the control plane (destination API keys, warehouse passwords) with ASP.NET Core Data
/// Protection: authenticated encryption under keys kept in the key ring directory (<c>&lt;data&gt;/keys</c> unless
/// <c>Secrets:KeyRingPath</c> says otherwise), rotated every 90 days with old keys kept for reading. A value protected
/// by one run is read by the next as long as the key ring survives: back it up with the database.
/// A secret is shown back only masked (<see cref="Mask"/>), never whole.
/// </summary>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The purpose string isolates these values from every other use of Data Protection (cookies, anti-forgery).</summary>
    public const string Purpose = "Junction.Secrets.v1";

    private const string MaskPrefix = "••••";
    private const int VisibleCharacters = 4;
    private const int ShortestWithVisibleEnd = 12;

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    /// <summary>Encrypts a secret for storage; the result is printable text that never contains the secret.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>
    /// Decrypts a stored value, or answers null when it cannot be read (the key ring lost or replaced, or the value
    /// altered): the caller then asks for the secret again instead of failing.
    /// </summary>
    public string? Unprotect(string protectedValue)
    {
        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// How a secret is shown: dots and its last four characters (<c>••••abcd</c>), or only dots when it is too short for
    /// four characters to be safe to show.
    /// </summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret)
            ? ""
            : secret.Length < ShortestWithVisibleEnd ? MaskPrefix : MaskPrefix + secret[^VisibleCharacters..];
}
