using System.Text.RegularExpressions;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// Regular expressions of <c>pattern</c> and <c>patternProperties</c>. JSON Schema patterns are ECMA-262 regular
/// expressions, unanchored; Junction compiles each once with <see cref="RegexOptions.ECMAScript"/> (so <c>\d</c> and
/// <c>\w</c> mean ASCII digits and word characters, as in JavaScript), falling back to .NET's own syntax for what
/// that mode refuses (Unicode classes such as <c>\p{L}</c>), and with a match timeout. Like Segment, it refuses
/// negative lookahead (and lookbehind): write <c>"not": {"pattern": …}</c> instead.
/// </summary>
internal static class Patterns
{
    /// <summary>How long one match may run before the value counts as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiles a pattern, or says why it cannot be used.</summary>
    public static Regex? TryCompile(string pattern, out string? problem)
    {
        if (HasNegativeLookaround(pattern))
        {
            problem = $"the pattern \"{pattern}\" uses a negative lookahead \"(?!…)\" (or lookbehind), which Segment does not support; use \"not\": {{\"pattern\": …}} instead";
            return null;
        }

        try
        {
            problem = null;
            return new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.Compiled, MatchTimeout);
        }
        catch (ArgumentException)
        {
            // ECMAScript mode refuses some constructs (Unicode categories, possessive forms, …); .NET's own syntax may not.
        }

        try
        {
            problem = null;
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
        }
        catch (ArgumentException exception)
        {
            problem = $"the pattern \"{pattern}\" is not a valid regular expression: {exception.Message}";
            return null;
        }
    }

    /// <summary>True when the value matches somewhere; a match that runs out of time counts as no match.</summary>
    public static bool IsMatch(Regex regex, ReadOnlySpan<char> text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    // Finds "(?!" or "(?<!" outside a character class and not escaped.
    internal static bool HasNegativeLookaround(string pattern)
    {
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }
            }
            else if (c == '(' && (pattern.AsSpan(i).StartsWith("(?!", StringComparison.Ordinal) || pattern.AsSpan(i).StartsWith("(?<!", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
