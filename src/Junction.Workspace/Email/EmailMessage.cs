namespace Junction.Workspace.Email;

/// <summary>An email Junction sends to a person: plain text and a simple HTML rendering of the same words.</summary>
internal sealed record EmailMessage(string To, string Subject, string Text, string Html);

/// <summary>Sends Junction's emails: over SMTP when <c>Email:Host</c> is set, else into the outbox folder.</summary>
internal interface IEmailSender
{
    /// <summary>
    /// Hands the message to the mail server (or writes it to the outbox). Answers false when that failed; the reason
    /// is logged, and the caller tells the person the email could not be sent.
    /// </summary>
    Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
