using System.Net;
using System.Text;

namespace Junction.Workspace.Email;

/// <summary>
/// The one layout of Junction's emails: a few paragraphs and one link, as plain text and as simple HTML (inline
/// styles only, since mail clients ignore style sheets). Every value is HTML-encoded.
/// </summary>
internal static class EmailLayout
{
    public static EmailMessage Compose(string to, string subject, IReadOnlyList<string> paragraphs, string linkText, string link, string footer)
    {
        var text = new StringBuilder();
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }

        text.Append(linkText).Append(":\n").Append(link).Append("\n\n").Append(footer).Append('\n');

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222;\">");
        html.Append("<div style=\"max-width:560px;margin:24px auto;\">");
        html.Append("<p style=\"font-size:18px;font-weight:bold;\">Junction</p>");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph)).Append("</p>");
        }

        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link))
            .Append("\" style=\"display:inline-block;padding:10px 18px;background:#594ae2;color:#fff;text-decoration:none;border-radius:4px;\">")
            .Append(WebUtility.HtmlEncode(linkText)).Append("</a></p>");
        html.Append("<p style=\"color:#666;font-size:13px;\">If the button does not work, copy this address into your browser:<br>")
            .Append(WebUtility.HtmlEncode(link)).Append("</p>");
        html.Append("<p style=\"color:#666;font-size:13px;\">").Append(WebUtility.HtmlEncode(footer)).Append("</p>");
        html.Append("</div></body></html>");
        return new EmailMessage(to, subject, text.ToString(), html.ToString());
    }
}
