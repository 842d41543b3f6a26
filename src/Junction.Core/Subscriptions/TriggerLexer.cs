namespace Junction.Subscriptions;

internal enum TriggerTokenKind : byte
{
    /// <summary>A word; <see cref="TriggerToken.Text"/> has its backslash escapes removed.</summary>
    Ident,
    Dot,

    /// <summary><c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c> or <c>&gt;=</c>.</summary>
    Operator,

    /// <summary><c>!</c> directly before a letter or <c>(</c>: the negation of a function call.</summary>
    Not,

    /// <summary><c>and</c> or <c>or</c>.</summary>
    Conditional,

    /// <summary>A quoted string; <see cref="TriggerToken.Text"/> is the content, <see cref="TriggerToken.Quote"/> the quote.</summary>
    String,
    Number,
    Null,
    BracketLeft,
    BracketRight,
    ParenLeft,
    ParenRight,
    Comma,
    End,
}

/// <summary>A token and where it sits in the trigger text (<see cref="Start"/> and <see cref="Length"/> in characters).</summary>
internal readonly record struct TriggerToken(TriggerTokenKind Kind, string Text, int Start, int Length, char Quote = '\0');

/// <summary>
/// Splits trigger text into tokens with the rules of Segment's FQL lexer, so that a token boundary falls where
/// Segment puts it. Where that lexer fails, or reads text in a way its author plainly did not intend (a closing
/// quote or <c>!=</c> glued to the next character), this lexer reports an error instead.
/// </summary>
internal static class TriggerLexer
{
    public static bool TryLex(string text, out List<TriggerToken> tokens, out TriggerError? error)
    {
        tokens = [];
        error = null;
        var i = 0;
        while (true)
        {
            if (i >= text.Length)
            {
                tokens.Add(new(TriggerTokenKind.End, "", text.Length, 0));
                return true;
            }

            var c = text[i];
            if (c is ' ' or '\t' or '\n')
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '.':
                    tokens.Add(new(TriggerTokenKind.Dot, ".", i++, 1));
                    continue;
                case '[':
                    tokens.Add(new(TriggerTokenKind.BracketLeft, "[", i++, 1));
                    continue;
                case ']':
                    tokens.Add(new(TriggerTokenKind.BracketRight, "]", i++, 1));
                    continue;
                case ',':
                    tokens.Add(new(TriggerTokenKind.Comma, ",", i++, 1));
                    continue;
                case '(':
                    tokens.Add(new(TriggerTokenKind.ParenLeft, "(", i++, 1));
                    continue;
                case ')':
                    tokens.Add(new(TriggerTokenKind.ParenRight, ")", i++, 1));
                    continue;
                case '=':
                    tokens.Add(new(TriggerTokenKind.Operator, "=", i++, 1));
                    continue;
                case '!':
                    if (i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '('))
                    {
                        tokens.Add(new(TriggerTokenKind.Not, "!", i++, 1));
                        continue;
                    }

                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        if (!IsTerminatorAt(text, i + 2))
                        {
                            error = Error("space_after_operator", "Put a space after `!=`: Segment's lexer refuses `!=` followed directly by a value.", i);
                            return false;
                        }

                        tokens.Add(new(TriggerTokenKind.Operator, "!=", i, 2));
                        i += 2;
                        continue;
                    }

                    error = Error("lone_negation", "`!` must be followed by `=` (as in `!=`) or by contains(...) or match(...).", i);
                    return false;
                case '<' or '>':
                    // `<=` is one operator only when a terminator follows; otherwise Segment reads `<` and then `=`.
                    if (i + 1 < text.Length && text[i + 1] == '=' && IsTerminatorAt(text, i + 2))
                    {
                        tokens.Add(new(TriggerTokenKind.Operator, text.Substring(i, 2), i, 2));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new(TriggerTokenKind.Operator, c.ToString(), i++, 1));
                    }

                    continue;
                case '"' or '\'':
                    var close = text.IndexOf(c, i + 1);
                    if (close < 0)
                    {
                        error = Error("unterminated_string", $"This string has no closing {c}; Segment refuses the whole trigger.", i);
                        return false;
                    }

                    if (!IsTerminatorAt(text, close + 1))
                    {
                        error = Error(
                            "space_after_string",
                            $"Put a space (or `,` or `)`) after the closing {c}: Segment's lexer does not end a string glued to the next character.",
                            close);
                        return false;
                    }

                    tokens.Add(new(TriggerTokenKind.String, text[(i + 1)..close], i, close + 1 - i, c));
                    i = close + 1;
                    continue;
            }

            if (char.IsAsciiDigit(c) || c is '-' or '+')
            {
                if (!TryLexNumber(text, ref i, out error))
                {
                    return false;
                }

                tokens.Add(new(TriggerTokenKind.Number, text[start..i], start, i - start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                if (TryKeyword(text, i, "and") || TryKeyword(text, i, "or"))
                {
                    var word = text[i] == 'a' ? "and" : "or";
                    tokens.Add(new(TriggerTokenKind.Conditional, word, i, word.Length));
                    i += word.Length;
                    continue;
                }

                if (TryKeyword(text, i, "null"))
                {
                    tokens.Add(new(TriggerTokenKind.Null, "null", i, 4));
                    i += 4;
                    continue;
                }

                if (!TryLexIdent(text, ref i, out var ident, out error))
                {
                    return false;
                }

                tokens.Add(new(TriggerTokenKind.Ident, ident, start, i - start));
                continue;
            }

            error = Error("invalid_character", $"The character {Show(c)} cannot appear outside a quoted string; in a field name, put a backslash before it (properties.product\\ 1).", i);
            return false;
        }
    }

    /// <summary>Whitespace, <c>,</c>, <c>]</c>, <c>)</c> or the end of the text: what may follow an operator or a closing quote.</summary>
    private static bool IsTerminatorAt(string text, int index) =>
        index >= text.Length || text[index] is ' ' or '\t' or '\n' or ',' or ']' or ')';

    private static bool IsIdentChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '\\';

    /// <summary>A keyword counts only when a terminator follows it, so <c>android</c> and <c>nullable</c> stay words.</summary>
    private static bool TryKeyword(string text, int index, string keyword) =>
        index + keyword.Length <= text.Length
        && string.CompareOrdinal(text, index, keyword, 0, keyword.Length) == 0
        && IsTerminatorAt(text, index + keyword.Length);

    private static bool TryLexNumber(string text, ref int i, out TriggerError? error)
    {
        error = null;
        var seenPoint = false;
        i++;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            if (text[i] == '.')
            {
                if (IsTerminatorAt(text, i + 1))
                {
                    error = Error("bad_number", "A number cannot end with a decimal point.", i);
                    return false;
                }

                if (seenPoint)
                {
                    error = Error("bad_number", "A number has at most one decimal point.", i);
                    return false;
                }

                seenPoint = true;
            }

            i++;
        }

        return true;
    }

    private static bool TryLexIdent(string text, ref int i, out string ident, out TriggerError? error)
    {
        error = null;
        var start = i;
        var value = new System.Text.StringBuilder();
        value.Append(text[i++]);
        while (i < text.Length && IsIdentChar(text[i]))
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    ident = "";
                    error = Error("bad_escape", "A backslash at the end of the trigger escapes nothing.", i);
                    return false;
                }

                i++;
            }

            value.Append(text[i++]);
        }

        ident = value.ToString();
        if (i < text.Length && !IsTerminatorAt(text, i) && text[i] is not ('.' or '(' or '=' or '!'))
        {
            error = Error(
                "space_after_name",
                $"Put a space between `{text[start..i]}` and {Show(text[i])}: Segment's lexer refuses a name followed directly by it.",
                i);
            return false;
        }

        return true;
    }

    private static string Show(char c) => c switch
    {
        '\r' => "a carriage return",
        '\t' => "a tab",
        _ when char.IsWhiteSpace(c) || char.IsControl(c) => $"U+{(int)c:X4}",
        _ => $"`{c}`",
    };

    private static TriggerError Error(string code, string message, int index) => new(code, message, index + 1);
}
