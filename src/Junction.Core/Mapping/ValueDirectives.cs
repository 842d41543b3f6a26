using System.Text.Json;

namespace Junction.Mapping;

/// <summary><c>{"@path": "$.properties.total"}</c>: the value at a path fixed in the mapping.</summary>
internal sealed class PathNode(MappingPath path) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload) => path.Read(payload);
}

/// <summary>
/// <c>@path</c> or <c>@template</c> whose argument is itself a directive: the argument must produce a string for
/// this event, which is then read as a path or rendered as a template. Segment fails the event otherwise, and so
/// does Junction.
/// </summary>
internal sealed class DynamicTextNode(string pointer, string directive, MappingNode argument) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var text = argument.Evaluate(evaluation, payload);
        if (!text.TryGetString(out var value))
        {
            return evaluation.Fail(pointer, $"{directive} needs a string, but its inner directive produced {Describe.Type(text)} for this event.");
        }

        return directive == "@path"
            ? MappingPath.ParseDirectivePath(value).Read(payload)
            : MappingValue.FromString(MappingTemplate.Parse(value).Render(payload));
    }
}

/// <summary><c>{"@template": "Viewed {{name}}"}</c>: always a string.</summary>
internal sealed class TemplateNode(MappingTemplate template) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload) =>
        MappingValue.FromString(template.Render(payload));
}

/// <summary>
/// <c>@if</c>. With <c>exists</c> the condition is "the value is neither undefined nor null"; with <c>blank</c> it
/// is "the value is not blank" (<see cref="JsSemantics.IsNotBlank"/>). A missing branch yields undefined.
/// </summary>
internal sealed class IfNode(MappingNode condition, bool blankTest, MappingNode? then, MappingNode? otherwise) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var value = condition.Evaluate(evaluation, payload);
        var holds = blankTest ? JsSemantics.IsNotBlank(value) : !value.IsNullOrUndefined;
        var branch = holds ? then : otherwise;
        return branch is null ? MappingValue.Undefined : branch.Evaluate(evaluation, payload);
    }
}

/// <summary><c>@case</c>: lower- or upper-cases a string; any other value passes through unchanged.</summary>
internal sealed class CaseNode(MappingNode value, bool upper) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var resolved = value.Evaluate(evaluation, payload);
        if (!resolved.TryGetString(out var text))
        {
            return resolved;
        }

        return MappingValue.FromString(upper ? text.ToUpperInvariant() : text.ToLowerInvariant());
    }
}

/// <summary>
/// <c>@replace</c>: literal (not regular-expression) replacement. Numbers and booleans are turned into text first;
/// any other non-string value gives "". The second pattern, when present, runs on the first one's result.
/// </summary>
internal sealed class ReplaceNode(MappingNode value, LiteralReplacement first, LiteralReplacement? second) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var resolved = value.Evaluate(evaluation, payload);
        string text;
        if (resolved.TryGetString(out var s))
        {
            text = s;
        }
        else if (resolved.IsNumber || resolved.IsBoolean)
        {
            text = JsSemantics.ToText(resolved);
        }
        else
        {
            return MappingValue.FromString("");
        }

        text = first.Apply(text);
        if (second is not null)
        {
            text = second.Apply(text);
        }

        return MappingValue.FromString(text);
    }
}

/// <summary>
/// One literal replacement with JavaScript's <c>String.replace</c> rules for the replacement text: <c>$$</c>
/// writes <c>$</c>, <c>$&amp;</c> the match, <c>$`</c> the text before it, <c>$'</c> the text after it.
/// </summary>
internal sealed class LiteralReplacement(string pattern, string replacement, bool global, bool ignoreCase)
{
    private readonly bool _plainReplacement = !replacement.Contains('$', StringComparison.Ordinal);

    public string Apply(string text)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var at = text.IndexOf(pattern, comparison);
        if (at < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var last = 0;
        while (at >= 0)
        {
            builder.Append(text, last, at - last);
            AppendReplacement(builder, text, at);
            last = at + pattern.Length;
            at = global ? text.IndexOf(pattern, last, comparison) : -1;
        }

        builder.Append(text, last, text.Length - last);
        return builder.ToString();
    }

    private void AppendReplacement(System.Text.StringBuilder builder, string text, int at)
    {
        if (_plainReplacement)
        {
            builder.Append(replacement);
            return;
        }

        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c != '$' || i + 1 >= replacement.Length)
            {
                builder.Append(c);
                continue;
            }

            switch (replacement[i + 1])
            {
                case '$':
                    builder.Append('$');
                    i++;
                    break;
                case '&':
                    builder.Append(text, at, pattern.Length);
                    i++;
                    break;
                case '`':
                    builder.Append(text, 0, at);
                    i++;
                    break;
                case '\'':
                    var after = at + pattern.Length;
                    builder.Append(text, after, text.Length - after);
                    i++;
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}

/// <summary>
/// <c>@json</c>. <c>encode</c> writes the value as <c>JSON.stringify</c> does (undefined stays undefined);
/// <c>decode</c> parses a string, keeps the string when it is not valid JSON, and passes other values through.
/// </summary>
internal sealed class JsonCodecNode(MappingNode value, bool encode) : MappingNode
{
    public override MappingValue Evaluate(Evaluation evaluation, MappingValue payload)
    {
        var resolved = value.Evaluate(evaluation, payload);
        if (encode)
        {
            var json = JsSemantics.Stringify(resolved);
            return json is null ? MappingValue.Undefined : MappingValue.FromString(json);
        }

        if (!resolved.TryGetString(out var text))
        {
            return resolved;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return MappingValue.FromJson(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            // Text that is not JSON is an expected input: Segment returns it unchanged, and so do we.
            return resolved;
        }
    }
}

/// <summary>How values are named in messages, after JavaScript's type names.</summary>
internal static class Describe
{
    public static string Type(MappingValue value) => value.Kind switch
    {
        ValueKind.Undefined => "nothing (the value is missing)",
        ValueKind.String => "a string",
        ValueKind.Object => "an object",
        ValueKind.Array => "an array",
        _ => Type(value.Json),
    };

    public static string Type(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
