using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Junction.Workspace.Email;

/// <summary>One message in the outbox.</summary>
internal sealed record OutboxMessage(string Id, DateTimeOffset Date, string To, string Subject, string Text, string? Html);

/// <summary>
/// Where emails go when no SMTP server is configured: each message is written as an .eml file (the standard format any
/// mail client opens) to <c>&lt;data&gt;/outbox/</c>, so that a single-machine install works without a mail server and
/// its owner can still pick up invite and reset links. The folder holds those links: keep it as private as the data.
/// </summary>
internal sealed partial class Outbox(string directory, IOptions<EmailOptions> options, TimeProvider time, ILogger<Outbox> logger) : IEmailSender
{
    public const string FolderName = "outbox";

    public string FolderPath { get; } = directory;

    public async Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Ids.Random(8);
        var mime = MimeMessages.Create(message, options.Value.From, now);
        Directory.CreateDirectory(FolderPath);
        var path = Path.Combine(FolderPath, id + ".eml");
        var partial = path + ".tmp";
        try
        {
            // Written aside and renamed, so that a reader never sees half a message.
            await mime.WriteToAsync(partial, cancellationToken);
            File.Move(partial, path);
        }
        catch (IOException ex)
        {
            LogFailed(ex, message.Subject, FolderPath);
            return false;
        }

        LogWritten(message.Subject, path);
        return true;
    }

    /// <summary>The messages in the outbox, newest first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(FolderPath))
        {
            return [];
        }

        var messages = new List<OutboxMessage>();
        foreach (var file in Directory.EnumerateFiles(FolderPath, "*.eml").OrderDescending(StringComparer.Ordinal))
        {
            if (await ReadFileAsync(file, cancellationToken) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>One message by its id (the file name without <c>.eml</c>), or null when there is none.</summary>
    public Task<OutboxMessage?> ReadAsync(string id, CancellationToken cancellationToken) =>
        IdPattern().IsMatch(id)
            ? ReadFileAsync(Path.Combine(FolderPath, id + ".eml"), cancellationToken)
            : Task.FromResult<OutboxMessage?>(null);

    private static async Task<OutboxMessage?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        MimeMessage mime;
        try
        {
            mime = await MimeMessage.LoadAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null;
        }

        return new OutboxMessage(
            Path.GetFileNameWithoutExtension(path),
            mime.Date,
            string.Join(", ", mime.To.Mailboxes.Select(m => m.Address)),
            mime.Subject ?? "",
            mime.TextBody ?? "",
            mime.HtmlBody);
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}-[0-9A-Za-z]{8}$")]
    private static partial Regex IdPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Email \"{Subject}\" written to {Path} (no SMTP server is configured: set Email:Host to send)")]
    private partial void LogWritten(string subject, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email \"{Subject}\" could not be written to {Directory}")]
    private partial void LogFailed(Exception exception, string subject, string directory);
}
