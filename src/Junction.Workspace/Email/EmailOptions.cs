using MimeKit;

namespace Junction.Workspace.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
internal enum EmailSecurity
{
    /// <summary>TLS on connect for port 465, else STARTTLS when the server offers it.</summary>
    Auto,

    /// <summary>No TLS at all (a relay on the same machine or network).</summary>
    None,

    /// <summary>STARTTLS, required: the connection fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// Outgoing email (configuration section <c>Email</c>). Without a <see cref="Host"/>, messages are written as .eml
/// files to the outbox folder in the data directory instead of being sent.
/// </summary>
internal sealed class EmailOptions
{
    public const string Section = "Email";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public EmailSecurity Security { get; set; } = EmailSecurity.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, as an address or <c>Name &lt;address&gt;</c>.</summary>
    public string From { get; set; } = "Junction <junction@localhost>";

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    public static bool IsValidFrom(string? from) => !string.IsNullOrWhiteSpace(from) && MailboxAddress.TryParse(from, out _);
}
