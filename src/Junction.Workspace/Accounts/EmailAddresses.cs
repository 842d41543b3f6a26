using System.Net.Mail;

namespace Junction.Workspace.Accounts;

/// <summary>How Junction reads and compares email addresses: trimmed, one bare address, compared case-insensitively.</summary>
internal static class EmailAddresses
{
    /// <summary>The longest address SMTP can carry.</summary>
    public const int MaxLength = 254;

    /// <summary>The form stored in <c>NormalizedEmail</c> columns and compared on every lookup.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Whether <paramref name="email"/> is a single bare address such as <c>ada@example.com</c> (no display name).</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var trimmed = email.Trim();
        return trimmed.Length <= MaxLength
            && MailAddress.TryCreate(trimmed, out var address)
            && string.Equals(address.Address, trimmed, StringComparison.Ordinal)
            && address.DisplayName.Length == 0
            && !address.Host.Contains(' ', StringComparison.Ordinal);
    }

    /// <summary>The error shown for an address that is not valid.</summary>
    public static string InvalidMessage(string? email) =>
        string.IsNullOrWhiteSpace(email) ? "Enter an email address." : $"\"{email.Trim()}\" is not a valid email address.";
}
