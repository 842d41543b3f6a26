using System.Globalization;

namespace Junction.Fql;

internal enum FqlTokenKind : byte
{
    End,
    Path,
    String,
    Number,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Not,
    And,
    Or,
    In,
    True,
    False,
    Null,
}

/// <summary>
/// One token. <see cref="Start"/> is the index of its first character; <see cref="Text"/> is the source text
/// of the token, except for strings where it is the content between the quotes.
/// </summary>
internal readonly record struct FqlToken(FqlTokenKind Kind, int Start, string Text, double Number = 0, string[]? Segments = null)
{
    /// <summary>A single key with no backslash: a function name or a keyword.</summary>
    public bool IsWord => Kind == FqlTokenKind.Path && Segments is { Length: 1 } && Segments[0].Length == Text.Length;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        FqlTokenKind.End => "the end of the expression",
        FqlTokenKind.String => $"the string '{Text}'",
        _ => $"\"{Text}\"",
    };
}

/// <summary>Splits FQL text into tokens, or reports the first character it cannot read.</summary>
internal static class FqlLexer
{
    public static bool TryTokenize(string text, out List<FqlToken> tokens, out FqlError? error)
    {
        tokens = [];
        error = null;
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new FqlToken(FqlTokenKind.End, text.Length, ""));
                return true;
            }

            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case '(':
                    tokens.Add(new FqlToken(FqlTokenKind.LeftParen, i++, "("));
                    continue;
                case ')':
                    tokens.Add(new FqlToken(FqlTokenKind.RightParen, i++, ")"));
                    continue;
                case '[':
                    tokens.Add(new FqlToken(FqlTokenKind.LeftBracket, i++, "["));
                    continue;
                case ']':
                    tokens.Add(new FqlToken(FqlTokenKind.RightBracket, i++, "]"));
                    continue;
                case ',':
                    tokens.Add(new FqlToken(FqlTokenKind.Comma, i++, ","));
                    continue;
                case '=':
                    if (next == '=')
                    {
                        error = new FqlError($"Use a single \"=\" to compare, at column {i + 2}.", i + 2);
                        return false;
                    }

                    tokens.Add(new FqlToken(FqlTokenKind.Equal, i++, "="));
                    continue;
                case '!':
                    tokens.Add(next == '=' ? new FqlToken(FqlTokenKind.NotEqual, i, "!=") : new FqlToken(FqlTokenKind.Not, i, "!"));
                    i += next == '=' ? 2 : 1;
                    continue;
                case '<':
                    tokens.Add(next == '=' ? new FqlToken(FqlTokenKind.LessOrEqual, i, "<=") : new FqlToken(FqlTokenKind.Less, i, "<"));
                    i += next == '=' ? 2 : 1;
                    continue;
                case '>':
                    tokens.Add(next == '=' ? new FqlToken(FqlTokenKind.GreaterOrEqual, i, ">=") : new FqlToken(FqlTokenKind.Greater, i, ">"));
                    i += next == '=' ? 2 : 1;
                    continue;
                case '\'' or '"':
                    var close = text.IndexOf(c, i + 1);
                    if (close < 0)
                    {
                        error = new FqlError($"The string that starts at column {i + 1} is not closed; add a closing {c}.", i + 1);
                        return false;
                    }

                    tokens.Add(new FqlToken(FqlTokenKind.String, i, text[(i + 1)..close]));
                    i = close + 1;
                    continue;
            }

            if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
            {
                if (!TryNumber(text, ref i, out var token, out error))
                {
                    return false;
                }

                tokens.Add(token);
                continue;
            }

            if (FqlPath.IsPlainChar(c) || c == '\\')
            {
                var end = FqlPath.Scan(text, i, out var segments, out var message, out var errorIndex);
                if (end < 0)
                {
                    error = new FqlError($"{message} at column {errorIndex + 1}.", errorIndex + 1);
                    return false;
                }

                tokens.Add(Word(new FqlToken(FqlTokenKind.Path, i, text[i..end], Segments: segments)));
                i = end;
                continue;
            }

            error = new FqlError($"Unexpected character \"{c}\" at column {i + 1}.", i + 1);
            return false;
        }
    }

    private static FqlToken Word(FqlToken token)
    {
        if (!token.IsWord)
        {
            return token;
        }

        var kind = token.Text switch
        {
            "and" => FqlTokenKind.And,
            "or" => FqlTokenKind.Or,
            "in" => FqlTokenKind.In,
            "true" => FqlTokenKind.True,
            "false" => FqlTokenKind.False,
            "null" => FqlTokenKind.Null,
            _ => FqlTokenKind.Path,
        };
        return token with { Kind = kind };
    }

    /// <summary>Reads <c>-?digits(.digits)?([eE][+-]?digits)?</c>, which must not run into a name.</summary>
    private static bool TryNumber(string text, ref int i, out FqlToken token, out FqlError? error)
    {
        var start = i;
        token = default;
        error = null;
        if (text[i] == '-')
        {
            i++;
        }

        SkipDigits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!SkipDigits(text, ref i))
            {
                error = new FqlError($"Expected a digit after the decimal point at column {i + 1}.", i + 1);
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (!SkipDigits(text, ref i))
            {
                error = new FqlError($"Expected the digits of the exponent at column {i + 1}.", i + 1);
                return false;
            }
        }

        if (i < text.Length && (FqlPath.IsPlainChar(text[i]) || text[i] is '\\' or '.'))
        {
            error = new FqlError($"Unexpected character \"{text[i]}\" in a number at column {i + 1}.", i + 1);
            return false;
        }

        var number = double.Parse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            error = new FqlError($"The number at column {start + 1} is too large.", start + 1);
            return false;
        }

        token = new FqlToken(FqlTokenKind.Number, start, text[start..i], number);
        return true;
    }

    private static bool SkipDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }
}
