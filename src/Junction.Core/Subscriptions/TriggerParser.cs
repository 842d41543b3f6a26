using System.Globalization;

namespace Junction.Subscriptions;

/// <summary>
/// Reads trigger text into a condition tree. The grammar is what Segment's subscription parser reads as its author
/// intended: conditions <c>field op value</c>, the calls <c>contains(field, "x")</c> and <c>match(field, "x*")</c>
/// (optionally negated with <c>!</c>), one level of parentheses, and one of <c>and</c>/<c>or</c> per level. Where
/// Segment's parser would skip tokens, guess, or read a form differently from how it is written, this parser
/// returns an error naming the problem and its column instead.
/// </summary>
internal sealed class TriggerParser
{
    private readonly List<TriggerToken> _tokens;
    private int _next;
    private TriggerError? _error;

    private TriggerParser(List<TriggerToken> tokens) => _tokens = tokens;

    public static (TriggerGroup? Tree, TriggerError? Error) Parse(string text)
    {
        if (!TriggerLexer.TryLex(text, out var tokens, out var lexError))
        {
            return (null, lexError);
        }

        var parser = new TriggerParser(JoinDottedNames(tokens));
        if (parser.Peek().Kind == TriggerTokenKind.End)
        {
            return (null, new TriggerError("empty_trigger", "The trigger is empty; Segment never matches an empty trigger.", 1));
        }

        var root = parser.ParseLevel(openParen: null);
        if (root is null)
        {
            return (null, parser._error);
        }

        // As in Segment: a root holding a single group is that group; a single condition is wrapped in an `and` group.
        if (root.Children.Count == 1)
        {
            root = root.Children[0] as TriggerGroup ?? new TriggerGroup(TriggerJoin.And, root.Children);
        }

        return (root, null);
    }

    /// <summary>Joins <c>word . word</c> runs into one name (<c>properties.order.total</c>), as Segment does before parsing.</summary>
    private static List<TriggerToken> JoinDottedNames(List<TriggerToken> tokens)
    {
        var joined = new List<TriggerToken>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var current = tokens[i];
            if (current.Kind == TriggerTokenKind.Dot
                && joined.Count > 0 && joined[^1].Kind == TriggerTokenKind.Ident
                && i + 1 < tokens.Count && tokens[i + 1].Kind == TriggerTokenKind.Ident)
            {
                var previous = joined[^1];
                var next = tokens[i + 1];
                joined[^1] = previous with { Text = previous.Text + "." + next.Text, Length = next.Start + next.Length - previous.Start };
                i++;
                continue;
            }

            joined.Add(current);
        }

        return joined;
    }

    private TriggerToken Peek(int ahead = 0) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    private TriggerToken Advance()
    {
        var token = Peek();
        if (_next < _tokens.Count - 1)
        {
            _next++;
        }

        return token;
    }

    private TriggerGroup? ParseLevel(TriggerToken? openParen)
    {
        var nested = openParen is not null;
        var children = new List<TriggerNode>();
        TriggerToken? join = null;
        while (true)
        {
            var first = Peek();
            var node = ParseItem(nested);
            if (node is null)
            {
                return null;
            }

            children.Add(node);
            var after = Peek();
            if (nested && node is TriggerCondition { Operator: var op } && op.IsFunction() && after.Kind != TriggerTokenKind.ParenRight)
            {
                return Fail(first, "function_in_group", TriggerRules.FunctionInGroupMessage);
            }

            switch (after.Kind)
            {
                case TriggerTokenKind.End when nested:
                    return Fail(openParen!.Value, "unclosed_group", "This `(` is never closed.");
                case TriggerTokenKind.End:
                    return Group(join, children);
                case TriggerTokenKind.ParenRight when nested:
                    Advance();
                    return Group(join, children);
                case TriggerTokenKind.ParenRight:
                    return Fail(after, "unmatched_paren", "This `)` closes no `(`.");
                case TriggerTokenKind.Conditional when join is { } j && j.Text != after.Text:
                    return Fail(
                        after,
                        "mixed_and_or",
                        $"This level mixes `{j.Text}` and `{after.Text}` without parentheses. Segment gives neither precedence: it applies the last one written to every condition of the level. Add parentheses to group the conditions.");
                case TriggerTokenKind.Conditional:
                    join = after;
                    Advance();
                    if (Peek().Kind is TriggerTokenKind.End or TriggerTokenKind.ParenRight)
                    {
                        return Fail(after, "missing_condition", $"`{after.Text}` needs a condition after it.");
                    }

                    continue;
                default:
                    return Fail(after, "expected_and_or", $"Expected `and`, `or`{(nested ? ", `)`" : "")} or the end of the trigger, found {Describe(after)}.");
            }
        }
    }

    private static TriggerGroup Group(TriggerToken? join, List<TriggerNode> children) =>
        new(join is { Text: "or" } ? TriggerJoin.Or : TriggerJoin.And, children);

    private TriggerNode? ParseItem(bool nested)
    {
        var token = Peek();
        switch (token.Kind)
        {
            case TriggerTokenKind.ParenLeft when nested:
                return Fail(token, "nested_group", TriggerRules.NestedGroupMessage);
            case TriggerTokenKind.ParenLeft:
                Advance();
                if (Peek().Kind == TriggerTokenKind.ParenRight)
                {
                    return Fail(token, "empty_group", "These parentheses hold no condition.");
                }

                var group = ParseLevel(token);
                return group is null ? null : group.Children.Count == 1 ? group.Children[0] : group;
            case TriggerTokenKind.Not:
                Advance();
                return IsCallAt(0)
                    ? ParseCall(token, negate: true)
                    : Fail(token, "bad_negation", "`!` can only negate contains(...) or match(...); Segment ignores it anywhere else.");
            case TriggerTokenKind.Ident when IsCallAt(0):
                return ParseCall(token, negate: false);
            case TriggerTokenKind.Ident:
                return ParseComparison();
            case TriggerTokenKind.Conditional:
                return Fail(token, "missing_condition", $"`{token.Text}` needs a condition before it.");
            default:
                return Fail(token, "expected_condition", $"Expected a condition, found {Describe(token)}.");
        }
    }

    /// <summary>True when the token <paramref name="ahead"/> positions on starts <c>contains(</c> or <c>match(</c>.</summary>
    private bool IsCallAt(int ahead) =>
        Peek(ahead) is { Kind: TriggerTokenKind.Ident, Text: "contains" or "match" }
        && Peek(ahead + 1).Kind == TriggerTokenKind.ParenLeft;

    private TriggerNode? ParseComparison()
    {
        var fieldToken = Advance();
        if (!TryReadField(fieldToken, out var field, out var path))
        {
            return null;
        }

        var opToken = Peek();
        if (opToken.Kind != TriggerTokenKind.Operator)
        {
            return Fail(opToken, "expected_operator", $"Expected an operator (=, !=, <, <=, >, >=) after `{fieldToken.Text}`, found {Describe(opToken)}.");
        }

        Advance();
        var valueToken = Peek();
        if (valueToken.Kind == TriggerTokenKind.Operator && valueToken.Text == "=")
        {
            if (opToken.Text == "=")
            {
                return Fail(
                    opToken,
                    "double_equals",
                    "`==` is not a trigger operator: Segment reads it as `=` followed by the text \"=\", so the condition never matches. Write a single `=`.");
            }

            if (opToken.Text is "<" or ">")
            {
                return Fail(
                    opToken,
                    "split_operator",
                    $"Write `{opToken.Text}=` as one operator followed by a space: Segment reads `{opToken.Text}=` glued to the value as `{opToken.Text}` and `=`.");
            }
        }

        Advance();
        var op = opToken.Text;
        TriggerCondition? condition;
        switch (valueToken.Kind)
        {
            case TriggerTokenKind.String when valueToken.Quote == '\'':
                return Fail(valueToken, "single_quotes", SingleQuotesMessage);
            case TriggerTokenKind.String when op is "=" or "!=":
                condition = new(field, path, op == "=" ? TriggerOperator.EqualTo : TriggerOperator.NotEqualTo, valueToken.Text);
                break;
            case TriggerTokenKind.String:
                return Fail(valueToken, "number_required", $"`{op}` compares numbers; write the number without quotes.");
            case TriggerTokenKind.Number:
                if (!TryReadNumber(valueToken, out var number))
                {
                    return null;
                }

                condition = (TriggerRules.HasPath(field), op) switch
                {
                    // Segment turns a number into text when it compares type, event, name or userId.
                    (false, "=") => new(field, path, TriggerOperator.EqualTo, TriggerNumbers.ToJavaScriptString(number)),
                    (false, "!=") => new(field, path, TriggerOperator.NotEqualTo, TriggerNumbers.ToJavaScriptString(number)),
                    (_, "=") => new(field, path, TriggerOperator.NumberEqualTo, Number: number),
                    (_, "!=") => new(field, path, TriggerOperator.NumberNotEqualTo, Number: number),
                    (_, "<") => new(field, path, TriggerOperator.LessThan, Number: number),
                    (_, "<=") => new(field, path, TriggerOperator.LessThanOrEqual, Number: number),
                    (_, ">") => new(field, path, TriggerOperator.GreaterThan, Number: number),
                    _ => new(field, path, TriggerOperator.GreaterThanOrEqual, Number: number),
                };
                break;
            case TriggerTokenKind.Null when field is TriggerField.Type or TriggerField.Event && op is "=" or "!=":
                return Fail(
                    valueToken,
                    "null_text",
                    $"Segment reads `{fieldToken.Text} {op} null` as a comparison with the text \"null\", not as a presence test. Write \"null\" in quotes if the text is meant.");
            case TriggerTokenKind.Null when op is "=" or "!=":
                condition = new(field, path, op == "=" ? TriggerOperator.NotExists : TriggerOperator.Exists);
                break;
            case TriggerTokenKind.Null:
                return Fail(valueToken, "null_comparison", $"`{op} null` tests nothing; write `= null` (missing) or `!= null` (present).");
            case TriggerTokenKind.Ident when valueToken.Text is "true" or "false":
                if (op == "!=")
                {
                    return Fail(
                        valueToken,
                        "not_equal_boolean",
                        $"Segment reads `!= {valueToken.Text}` as \"is not the text '{valueToken.Text}'\", which is true for every other value, not only for {(valueToken.Text == "true" ? "false" : "true")}. Write `= {(valueToken.Text == "true" ? "false" : "true")}`, or `!= \"{valueToken.Text}\"` to compare text.");
                }

                if (op != "=")
                {
                    return Fail(valueToken, "number_required", $"`{op}` compares numbers; {valueToken.Text} is not a number.");
                }

                condition = new(field, path, valueToken.Text == "true" ? TriggerOperator.IsTrue : TriggerOperator.IsFalse);
                break;
            case TriggerTokenKind.Ident:
                return Fail(valueToken, "bare_word", $"Put text in double quotes: \"{valueToken.Text}\". Segment reads a bare word only up to the next space and drops the rest.");
            default:
                return Fail(valueToken, "expected_value", $"Expected a value after `{op}`, found {Describe(valueToken)}.");
        }

        return Checked(condition, fieldToken);
    }

    private TriggerNode? ParseCall(TriggerToken first, bool negate)
    {
        var nameToken = Advance();
        var name = nameToken.Text;
        Advance();
        var argument = Advance();
        if (argument.Kind != TriggerTokenKind.Ident)
        {
            return Fail(argument, "call_syntax", $"The first argument of {name}() must be a field, such as event or properties.sku; found {Describe(argument)}.");
        }

        if (!TryReadField(argument, out var field, out var path))
        {
            return null;
        }

        if (field == TriggerField.Type)
        {
            return Fail(argument, "call_on_type", $"{name}() cannot test `type`: Segment silently drops such a condition. Compare it with `type = \"track\"`.");
        }

        var comma = Advance();
        if (comma.Kind != TriggerTokenKind.Comma)
        {
            return Fail(comma, "call_syntax", $"Expected `,` after the field in {name}(...), found {Describe(comma)}.");
        }

        var valueToken = Advance();
        string text;
        if (valueToken is { Kind: TriggerTokenKind.String, Quote: '\'' })
        {
            return Fail(valueToken, "single_quotes", SingleQuotesMessage);
        }
        else if (valueToken.Kind == TriggerTokenKind.String)
        {
            text = valueToken.Text;
        }
        else if (valueToken.Kind == TriggerTokenKind.Number && name == "contains")
        {
            if (!TryReadNumber(valueToken, out var number))
            {
                return null;
            }

            text = TriggerNumbers.ToJavaScriptString(number);
        }
        else
        {
            return Fail(valueToken, "call_syntax", $"The second argument of {name}() must be text in double quotes; found {Describe(valueToken)}.");
        }

        var close = Advance();
        if (close.Kind != TriggerTokenKind.ParenRight)
        {
            return Fail(close, "call_syntax", $"Expected `)` to close {name}(...), found {Describe(close)}.");
        }

        TriggerOperator op;
        if (name == "contains")
        {
            op = negate ? TriggerOperator.NotContains : TriggerOperator.Contains;
        }
        else if (text.EndsWith('*') && text.IndexOf('*', StringComparison.Ordinal) == text.Length - 1)
        {
            op = negate ? TriggerOperator.NotStartsWith : TriggerOperator.StartsWith;
            text = text[..^1];
        }
        else if (text.StartsWith('*') && text.LastIndexOf('*') == 0)
        {
            op = negate ? TriggerOperator.NotEndsWith : TriggerOperator.EndsWith;
            text = text[1..];
        }
        else
        {
            return Fail(
                valueToken,
                "match_pattern",
                text.Contains('*', StringComparison.Ordinal)
                    ? "match() in a trigger takes a prefix (\"abc*\") or a suffix (\"*abc\"), with a single `*`: Segment compares any other `*` as a plain character."
                    : "match() in a trigger needs a pattern that begins or ends with `*` (\"abc*\" or \"*abc\"): Segment drops the first character of any other pattern and tests the rest as an ending.");
        }

        return Checked(new TriggerCondition(field, path, op, text), first);
    }

    /// <summary>Reads a field name such as <c>event</c> or <c>properties.items[0].sku</c>.</summary>
    private bool TryReadField(TriggerToken token, out TriggerField field, out string? path)
    {
        var text = token.Text;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? text : text[..dot];
        path = dot < 0 ? null : text[(dot + 1)..];
        field = default;
        switch (head)
        {
            case "type": field = TriggerField.Type; break;
            case "event": field = TriggerField.Event; break;
            case "name": field = TriggerField.Name; break;
            case "userId": field = TriggerField.UserId; break;
            case "properties": field = TriggerField.Properties; break;
            case "traits": field = TriggerField.Traits; break;
            case "context": field = TriggerField.Context; break;
            case "and" or "or":
                Fail(token, "space_after_conditional", $"Put a space after `{head}`.");
                return false;
            default:
                Fail(
                    token,
                    "unknown_field",
                    $"`{head}` cannot be tested by a trigger, and Segment silently drops the condition instead of refusing it. Triggers can test type, event, name, userId, and paths under properties., traits. and context. (such as context.page.url).");
                return false;
        }

        if (TriggerRules.HasPath(field) ? path is null : path is not null)
        {
            // Let the shared rules word the problem (a missing path, or a sub-field of a plain field).
            var problem = TriggerRules.Check(new TriggerCondition(field, path, TriggerOperator.Exists))!;
            Fail(token, problem.Code, problem.Message);
            return false;
        }

        return true;
    }

    private bool TryReadNumber(TriggerToken token, out double number)
    {
        if (!double.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
        {
            Fail(token, "bad_number", $"`{token.Text}` is not a number.");
            return false;
        }

        if (!double.IsFinite(number))
        {
            Fail(token, "bad_number", "The number is too large for a trigger.");
            return false;
        }

        return true;
    }

    private TriggerCondition? Checked(TriggerCondition condition, TriggerToken at)
    {
        if (TriggerRules.Check(condition) is { } problem)
        {
            Fail(at, problem.Code, problem.Message);
            return null;
        }

        return condition;
    }

    private const string SingleQuotesMessage =
        "Use double quotes: Segment's trigger parser keeps single quotes as part of the text, so 'x' would be compared with the text including its quotes.";

    private static string Describe(TriggerToken token) => token.Kind switch
    {
        TriggerTokenKind.End => "the end of the trigger",
        TriggerTokenKind.String => $"the text {token.Quote}{token.Text}{token.Quote}",
        _ => $"`{token.Text}`",
    };

    private TriggerGroup? Fail(TriggerToken at, string code, string message)
    {
        _error ??= new TriggerError(code, message, at.Start + 1);
        return null;
    }
}
