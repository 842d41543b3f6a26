using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Email;

/// <summary>Sends each message over its own SMTP connection, with MailKit.</summary>
internal sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = MimeMessages.Create(message, settings.From, time.GetUtcNow());
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, SocketOptions(settings.Security), cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or CommandException
            or AuthenticationException or SslHandshakeException or TimeoutException)
        {
            LogFailed(ex, message.Subject, settings.Host!, settings.Port);
            return false;
        }

        LogSent(message.Subject, settings.Host!, settings.Port);
        return true;
    }

    private static SecureSocketOptions SocketOptions(EmailSecurity security) => security switch
    {
        EmailSecurity.None => SecureSocketOptions.None,
        EmailSecurity.StartTls => SecureSocketOptions.StartTls,
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Email \"{Subject}\" sent through {Host}:{Port}")]
    private partial void LogSent(string subject, string host, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email \"{Subject}\" could not be sent through {Host}:{Port}")]
    private partial void LogFailed(Exception exception, string subject, string host, int port);
}
