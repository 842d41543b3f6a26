using Junction.Workspace.Accounts;

namespace Junction.Workspace.Invites;

/// <summary>Email addresses typed or pasted as one text: the valid ones (each once) and the entries that are not addresses.</summary>
internal sealed record EmailList(IReadOnlyList<string> Valid, IReadOnlyList<string> Invalid)
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    /// <summary>Reads addresses separated by commas, semicolons, spaces or new lines.</summary>
    public static EmailList Parse(string? text)
    {
        var valid = new List<string>();
        var invalid = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EmailAddresses.IsValid(entry))
            {
                invalid.Add(entry);
            }
            else if (seen.Add(EmailAddresses.Normalize(entry)))
            {
                valid.Add(entry);
            }
        }

        return new EmailList(valid, invalid);
    }
}
