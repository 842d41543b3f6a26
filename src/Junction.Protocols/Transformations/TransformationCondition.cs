using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Fql;

namespace Junction.Protocols.Transformations;

/// <summary>
/// The FQL condition (<c>if</c>) of a transformation, compiled once with Junction's FQL engine. Conditions of the
/// common shape — field comparisons with <c>=</c> or <c>!=</c> against literals, joined by only <c>and</c> or only
/// <c>or</c> (<c>event = 'Order Completed'</c>, <c>type = 'identify'</c>) — are evaluated directly on the event being
/// transformed; any other condition is evaluated by FQL on a copy of the event read as JSON. Either way the meaning
/// is FQL's (strict equality, a missing field is null), and an evaluation error counts as no match.
/// </summary>
internal sealed class TransformationCondition
{
    private readonly FqlExpression _expression;
    private readonly Comparison[]? _comparisons;
    private readonly bool _isAnd;

    private TransformationCondition(FqlExpression expression, Comparison[]? comparisons, bool isAnd, string? selectedType)
    {
        _expression = expression;
        _comparisons = comparisons;
        _isAnd = isAnd;
        SelectedType = selectedType;
    }

    /// <summary>
    /// The call type the condition requires, when it can be read from it (<c>type = 'identify'</c> as the whole
    /// condition or as one side of a top-level <c>and</c>); null otherwise.
    /// </summary>
    public string? SelectedType { get; }

    public static TransformationCondition? TryCompile(string? text, out string? error)
    {
        var parsed = FqlExpression.Parse(text ?? "");
        if (!parsed.IsSuccess)
        {
            error = $"the condition \"if\" is not valid FQL: {parsed.Error.Message}";
            return null;
        }

        error = null;
        FqlLexer.TryTokenize(text!, out var tokens, out _);
        var (comparisons, isAnd) = parsed.Expression.MatchesEverything ? (null, true) : Simple(tokens);
        return new TransformationCondition(parsed.Expression, comparisons, isAnd, SelectedTypeOf(tokens));
    }

    /// <summary>True when the event matches the condition.</summary>
    public bool Matches(JsonObject @event)
    {
        if (_expression.MatchesEverything)
        {
            return true;
        }

        if (_comparisons is not null)
        {
            try
            {
                foreach (var comparison in _comparisons)
                {
                    if (comparison.Holds(@event) != _isAnd)
                    {
                        return !_isAnd;
                    }
                }

                return _isAnd;
            }
            catch (InvalidOperationException)
            {
                // A string that cannot be decoded (an escaped lone surrogate): an evaluation error, so no match.
                return false;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            @event.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return _expression.Matches(document.RootElement);
    }

    // Recognises "path op literal (and|or path op literal)*" with one kind of joiner and op in = and !=.
    private static (Comparison[]?, bool) Simple(List<FqlToken> tokens)
    {
        var comparisons = new List<Comparison>();
        bool? isAnd = null;
        var i = 0;
        while (true)
        {
            if (i + 2 >= tokens.Count)
            {
                return (null, true);
            }

            var (left, op, right) = (tokens[i], tokens[i + 1], tokens[i + 2]);
            if (op.Kind is not (FqlTokenKind.Equal or FqlTokenKind.NotEqual))
            {
                return (null, true);
            }

            var (path, literal) = left.Kind == FqlTokenKind.Path ? (left, right) : (right, left);
            if (path.Kind != FqlTokenKind.Path || path.Segments is null || ReadLiteral(literal) is not { } value
                || (i + 3 < tokens.Count && tokens[i + 3].Kind == FqlTokenKind.LeftParen))
            {
                return (null, true);
            }

            comparisons.Add(new Comparison(path.Segments, value, op.Kind == FqlTokenKind.Equal));
            i += 3;
            var next = tokens[i];
            if (next.Kind == FqlTokenKind.End)
            {
                return ([.. comparisons], isAnd ?? true);
            }

            var joinerIsAnd = next.Kind == FqlTokenKind.And;
            if ((next.Kind is not (FqlTokenKind.And or FqlTokenKind.Or)) || (isAnd is { } kind && kind != joinerIsAnd))
            {
                return (null, true);
            }

            isAnd = joinerIsAnd;
            i++;
        }
    }

    private static Literal? ReadLiteral(FqlToken token) => token.Kind switch
    {
        FqlTokenKind.String => new Literal(JsonValueKind.String, token.Text, 0),
        FqlTokenKind.Number => new Literal(JsonValueKind.Number, null, token.Number),
        FqlTokenKind.True => new Literal(JsonValueKind.True, null, 0),
        FqlTokenKind.False => new Literal(JsonValueKind.False, null, 0),
        FqlTokenKind.Null => new Literal(JsonValueKind.Null, null, 0),
        _ => null,
    };

    // Finds "type = '…'" at the top level of a condition that has no top-level "or".
    private static string? SelectedTypeOf(List<FqlToken> tokens)
    {
        var depth = 0;
        string? selected = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case FqlTokenKind.LeftParen or FqlTokenKind.LeftBracket:
                    depth++;
                    break;
                case FqlTokenKind.RightParen or FqlTokenKind.RightBracket:
                    depth--;
                    break;
                case FqlTokenKind.Or when depth == 0:
                    return null;
                case FqlTokenKind.Path when depth == 0 && token.Segments is ["type"] && i + 2 < tokens.Count
                    && tokens[i + 1].Kind == FqlTokenKind.Equal && tokens[i + 2].Kind == FqlTokenKind.String
                    && (i == 0 || tokens[i - 1].Kind != FqlTokenKind.Not):
                    selected ??= tokens[i + 2].Text;
                    break;
            }
        }

        return selected;
    }

    private readonly record struct Literal(JsonValueKind Kind, string? Text, double Number);

    private sealed class Comparison(string[] path, Literal literal, bool equal)
    {
        public bool Holds(JsonObject @event) => Equals(Resolve(@event), literal) == equal;

        private JsonNode? Resolve(JsonObject @event)
        {
            JsonNode? current = @event;
            foreach (var key in path)
            {
                switch (current)
                {
                    case JsonObject obj:
                        current = obj.TryGetPropertyValue(key, out var next) ? next : null;
                        break;
                    case JsonArray array when key.Length is > 0 and <= 9 && key.All(char.IsAsciiDigit)
                        && int.Parse(key, CultureInfo.InvariantCulture) is var index && index < array.Count:
                        current = array[index];
                        break;
                    default:
                        return null;
                }

                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        private static bool Equals(JsonNode? node, Literal literal)
        {
            if (node is null)
            {
                return literal.Kind == JsonValueKind.Null;
            }

            var kind = node.GetValueKind();
            switch (literal.Kind)
            {
                case JsonValueKind.String when kind == JsonValueKind.String:
                    return node is JsonValue value && value.TryGetValue<JsonElement>(out var element)
                        ? element.ValueEquals(literal.Text)
                        : string.Equals(CompiledTransformation.TextOf(node), literal.Text, StringComparison.Ordinal);
                case JsonValueKind.Number when kind == JsonValueKind.Number:
                    return ReadNumber(node) is { } number && number == literal.Number;
                case JsonValueKind.True or JsonValueKind.False:
                    return kind == literal.Kind;
                case JsonValueKind.Null:
                    return kind == JsonValueKind.Null;
                default:
                    return false;
            }
        }

        private static double? ReadNumber(JsonNode node)
        {
            if (node is JsonValue value && value.TryGetValue<JsonElement>(out var element))
            {
                return element.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
            }

            return double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
                ? parsed
                : null;
        }
    }
}
