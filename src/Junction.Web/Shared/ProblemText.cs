using Junction.Workspace;

namespace Junction.Web.Shared;

/// <summary>A service's refusal as a person reads it on a page.</summary>
internal static class ProblemText
{
    /// <summary>
    /// The problem's message addressed to the person (the services speak of "the caller"), without the field path that
    /// the Public API's answers start with (<c>invites[0].email: …</c>, <c>label.key must …</c>), which means nothing
    /// on a form; the form shows the message next to the field instead.
    /// </summary>
    public static string For(Problem problem)
    {
        var message = problem.Message.Replace("which the caller does not have", "which you do not have", StringComparison.Ordinal);
        if (problem.Field is not { Length: > 0 } field || !message.StartsWith(field, StringComparison.Ordinal))
        {
            return message;
        }

        var rest = message[field.Length..];
        if (rest.StartsWith(": ", StringComparison.Ordinal) && rest.Length > 2)
        {
            // "there is no …" becomes "There is no …"; an address or a name stays as it is written.
            var sentence = rest[2..];
            var firstWord = sentence.Split(' ')[0];
            return firstWord.All(char.IsLower) ? char.ToUpperInvariant(sentence[0]) + sentence[1..] : sentence;
        }

        return rest.StartsWith(' ') ? "This" + rest : message;
    }
}
