using System.Text.Json.Nodes;
using Junction.Fql;

namespace Junction.Protocols.Transformations;

/// <summary>
/// The value of an FQL-defined property: a field path (<c>properties.email</c>, copied as it is), a string literal
/// (<c>'web'</c>), or one of FQL's case functions applied to one of those — <c>lowercase</c>, <c>uppercase</c>,
/// <c>snakecase</c>, <c>kebabcase</c>, <c>titlecase</c> — which may nest (<c>lowercase(titlecase(properties.x))</c>).
/// The case functions are FQL's own, so they split and join words exactly as destination filters do. A case
/// function given a missing field, null or a value that is not a string gives no value, and the target is left
/// as it was.
/// </summary>
internal abstract class ValueExpression
{
    private static readonly string[] Functions = ["lowercase", "uppercase", "snakecase", "kebabcase", "titlecase"];

    /// <summary>The value for this event, or null for none.</summary>
    public abstract JsonNode? Evaluate(JsonObject @event);

    public static ValueExpression? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the FQL expression is empty";
            return null;
        }

        var position = 0;
        var expression = Read(text, ref position, 0, out error);
        if (expression is null)
        {
            return null;
        }

        SkipSpaces(text, ref position);
        if (position != text.Length)
        {
            error = $"the FQL expression \"{text}\" has unexpected text at column {position + 1}";
            return null;
        }

        return expression;
    }

    private static ValueExpression? Read(string text, ref int position, int depth, out string? error)
    {
        error = null;
        SkipSpaces(text, ref position);
        if (depth > 8)
        {
            error = $"the FQL expression \"{text}\" nests too deeply";
            return null;
        }

        if (position >= text.Length)
        {
            error = $"the FQL expression \"{text}\" ends where a value was expected";
            return null;
        }

        var c = text[position];
        if (c is '\'' or '"')
        {
            var end = text.IndexOf(c, position + 1);
            if (end < 0)
            {
                error = $"the FQL expression \"{text}\" has a string that is not closed";
                return null;
            }

            var literal = text[(position + 1)..end];
            position = end + 1;
            return new LiteralValue(literal);
        }

        var after = FqlPath.Scan(text, position, out var segments, out var scanError, out var errorIndex);
        if (after < 0)
        {
            error = $"the FQL expression \"{text}\" is not valid: {scanError} at column {errorIndex + 1}";
            return null;
        }

        var pathText = text[position..after];
        position = after;
        SkipSpaces(text, ref position);
        if (position < text.Length && text[position] == '(')
        {
            if (segments.Length != 1 || !Functions.Contains(segments[0], StringComparer.Ordinal))
            {
                error = $"\"{pathText}\" is not a function an FQL-defined property can use; use one of {string.Join(", ", Functions)}";
                return null;
            }

            position++;
            var argument = Read(text, ref position, depth + 1, out error);
            if (argument is null)
            {
                return null;
            }

            SkipSpaces(text, ref position);
            if (position >= text.Length || text[position] != ')')
            {
                error = $"{segments[0]}() takes one argument; expected \")\" at column {position + 1} of \"{text}\"";
                return null;
            }

            position++;
            return new CaseValue(segments[0], argument);
        }

        return new PathValue(segments);
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private sealed class LiteralValue(string text) : ValueExpression
    {
        public override JsonNode? Evaluate(JsonObject @event) => JsonValue.Create(text);
    }

    private sealed class PathValue(string[] keys) : ValueExpression
    {
        public override JsonNode? Evaluate(JsonObject @event) => EventPath.Get(@event, keys)?.DeepClone();
    }

    private sealed class CaseValue(string function, ValueExpression argument) : ValueExpression
    {
        public override JsonNode? Evaluate(JsonObject @event)
        {
            if (CompiledTransformation.TextOf(argument.Evaluate(@event)) is not { } text)
            {
                return null;
            }

            return JsonValue.Create(function switch
            {
                "lowercase" => text.ToLowerInvariant(),
                "uppercase" => text.ToUpperInvariant(),
                "snakecase" => FqlFunctions.JoinWords(text, '_'),
                "kebabcase" => FqlFunctions.JoinWords(text, '-'),
                _ => FqlFunctions.TitleCase(text),
            });
        }
    }
}
