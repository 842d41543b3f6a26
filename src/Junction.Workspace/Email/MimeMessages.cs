using MimeKit;

namespace Junction.Workspace.Email;

/// <summary>Turns an <see cref="EmailMessage"/> into a MIME message with a text and an HTML alternative.</summary>
internal static class MimeMessages
{
    public static MimeMessage Create(EmailMessage email, string from, DateTimeOffset date)
    {
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = date,
            Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(email.To));
        return message;
    }
}
