using System.Text;

namespace Junction.Protocols.Naming;

/// <summary>
/// A name that breaks the workspace's naming convention: the name, what is wrong in words, and the name written by
/// the convention (null when no fix can be worked out, such as a one-word event name that lacks an action).
/// </summary>
internal sealed record NamingFinding(string Name, string Problem, string? Suggestion);

/// <summary>
/// Checks event and property names against a naming convention (Segment's recommendation by default: "Object
/// Action" event names in Title Case, <c>Menu Clicked</c>, and <c>snake_case</c> property names) and suggests the
/// fix. Names are split into words at spaces, underscores, hyphens and other punctuation, and where a lower-case
/// letter or digit meets a capital (<c>menuClicked</c>) or an acronym meets a word (<c>URLCopied</c>).
/// </summary>
/// <remarks>
/// The Title Case check asks for at least two words (an object and an action) separated by single spaces, made of
/// letters and digits, each starting with a capital letter or a digit, and not the whole name in capitals (a word in
/// capitals among others is an acronym, <c>URL Copied</c>); short joining words (<c>to</c>, <c>from</c>,
/// <c>as</c>, <c>of</c>, …) may stay lower case inside a name, as in Segment's own <c>Product Added to Wishlist</c>.
/// It does not check that the last word is a verb in the past tense: no word list can decide that reliably, and
/// Segment's specs themselves use names such as <c>Video Content Playing</c>.
/// </remarks>
internal static class NamingStandards
{
    private static readonly HashSet<string> JoiningWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "via", "with",
    };

    /// <summary>Null when <paramref name="name"/> follows the convention, else what is wrong and the fix.</summary>
    public static NamingFinding? CheckEvent(string name, EventNamingConvention convention = NamingConventions.DefaultEvent)
    {
        ArgumentNullException.ThrowIfNull(name);
        return convention switch
        {
            EventNamingConvention.TitleCaseObjectAction => CheckTitleCase(name),
            EventNamingConvention.SnakeCase => CheckSnake(name, "event name"),
            EventNamingConvention.CamelCase => CheckCamel(name, "event name", upperFirst: false),
            _ => CheckCamel(name, "event name", upperFirst: true),
        };
    }

    /// <summary>
    /// Null when the property (or trait) key <paramref name="name"/> follows the convention, else what is wrong and
    /// the fix. Pass one key, not a dotted path; the array-items marker <c>$</c> is always fine.
    /// </summary>
    public static NamingFinding? CheckProperty(string name, PropertyNamingConvention convention = NamingConventions.DefaultProperty)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "$")
        {
            return null;
        }

        return convention switch
        {
            PropertyNamingConvention.SnakeCase => CheckSnake(name, "property name"),
            PropertyNamingConvention.CamelCase => CheckCamel(name, "property name", upperFirst: false),
            _ => CheckCamel(name, "property name", upperFirst: true),
        };
    }

    /// <summary>The words of a name, with their case kept.</summary>
    public static IReadOnlyList<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, current);
                continue;
            }

            if (current.Length > 0 && char.IsUpper(c))
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush(words, current);
                }
            }

            current.Append(c);
        }

        Flush(words, current);
        return words;
    }

    /// <summary>A name in Title Case Object Action form, or null when it does not have two words.</summary>
    public static string? ToTitleCase(string name)
    {
        var words = Words(name);
        if (words.Count < 2)
        {
            return null;
        }

        var keepAcronyms = name.Any(char.IsLower);
        var titled = new string[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var lower = word.ToLowerInvariant();
            if (i > 0 && i < words.Count - 1 && JoiningWords.Contains(lower))
            {
                titled[i] = lower;
            }
            else if (keepAcronyms && word.Length > 1 && word.All(c => !char.IsLower(c)))
            {
                titled[i] = word;
            }
            else
            {
                titled[i] = Capitalize(lower);
            }
        }

        return string.Join(' ', titled);
    }

    /// <summary>A name in snake_case, or null when it has no words.</summary>
    public static string? ToSnakeCase(string name)
    {
        var words = Words(name);
        return words.Count == 0 ? null : string.Join('_', words.Select(w => w.ToLowerInvariant()));
    }

    /// <summary>A name in camelCase (or PascalCase), or null when it has no words.</summary>
    public static string? ToCamelCase(string name, bool upperFirst)
    {
        var words = Words(name);
        if (words.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            var lower = words[i].ToLowerInvariant();
            builder.Append(i == 0 && !upperFirst ? lower : Capitalize(lower));
        }

        return builder.ToString();
    }

    private static NamingFinding? CheckTitleCase(string name)
    {
        var suggestion = ToTitleCase(name);
        var problem = TitleCaseProblem(name);
        if (problem is null)
        {
            return null;
        }

        return new NamingFinding(name, problem, suggestion == name ? null : suggestion);
    }

    private static string? TitleCaseProblem(string name)
    {
        const string Example = "such as \"Menu Clicked\"";
        if (string.IsNullOrWhiteSpace(name))
        {
            return $"The event name is empty; name an object and the action done to it, {Example}.";
        }

        var odd = name.FirstOrDefault(c => !char.IsLetterOrDigit(c) && c != ' ');
        if (odd != default)
        {
            return $"\"{name}\" uses \"{odd}\"; Object Action names are words separated by single spaces, {Example}.";
        }

        if (name.StartsWith(' ') || name.EndsWith(' ') || name.Contains("  ", StringComparison.Ordinal))
        {
            return $"\"{name}\" has spaces at its ends or doubled; separate words with single spaces.";
        }

        var words = name.Split(' ');
        foreach (var word in words)
        {
            if (Words(word).Count > 1)
            {
                return $"\"{name}\" runs words together (\"{word}\"); separate the object and the action with spaces, {Example}.";
            }
        }

        if (words.Length < 2)
        {
            return $"\"{name}\" has one word; name an object and the action done to it, {Example}.";
        }

        if (!name.Any(char.IsLower))
        {
            return $"\"{name}\" is written in capitals; in Title Case only the first letter of each word is a capital.";
        }

        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var joining = i > 0 && i < words.Length - 1 && JoiningWords.Contains(word);
            if (!joining && char.IsLower(word[0]))
            {
                return $"\"{name}\" is not in Title Case: \"{word}\" should start with a capital letter.";
            }
        }

        return null;
    }

    private static NamingFinding? CheckSnake(string name, string what)
    {
        if (IsSnake(name))
        {
            return null;
        }

        var suggestion = ToSnakeCase(name);
        return new NamingFinding(name, $"The {what} \"{name}\" is not snake_case: write lower-case words joined by underscores.", suggestion);
    }

    private static NamingFinding? CheckCamel(string name, string what, bool upperFirst)
    {
        var valid = name.Length > 0 && name.All(char.IsAsciiLetterOrDigit)
            && (upperFirst ? char.IsAsciiLetterUpper(name[0]) : char.IsAsciiLetterLower(name[0]));
        if (valid)
        {
            return null;
        }

        var style = upperFirst ? "PascalCase" : "camelCase";
        var start = upperFirst ? "a capital letter" : "a lower-case letter";
        return new NamingFinding(
            name,
            $"The {what} \"{name}\" is not {style}: join the words without separators, each starting with a capital letter, the first with {start}.",
            ToCamelCase(name, upperFirst));
    }

    private static bool IsSnake(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || name[^1] == '_' || name.Contains("__", StringComparison.Ordinal))
        {
            return false;
        }

        return name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
    }

    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }
}
