using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Junction.Web.Sources.Debugger;

// JSON values written as JavaScript literals: keys unquoted when they are identifiers, strings in double quotes with
// the characters that cannot stand (or would mislead a reader) escaped, numbers exactly as received, and objects and
// arrays on one line when they fit in LineWidth, else one member a line indented by two spaces.
internal static partial class PrettyCall
{
    internal const int LineWidth = 80;
    private const string Indent = "  ";

    /// <summary>A value to write: a JSON value, or an object put together from the event's fields.</summary>
    private abstract record Value
    {
        public sealed record Json(JsonElement Element) : Value;

        public sealed record Object(IReadOnlyList<(string Key, Value Value)> Fields) : Value;
    }

    private static bool IsContainer(Value value, out bool isArray, out IReadOnlyList<(string? Key, Value Value)> members)
    {
        switch (value)
        {
            case Value.Object o:
                isArray = false;
                members = o.Fields.Select(f => ((string?)f.Key, f.Value)).ToList();
                return true;
            case Value.Json { Element.ValueKind: JsonValueKind.Object } j:
                isArray = false;
                members = j.Element.EnumerateObject().Select(p => ((string?)NameOf(p), (Value)new Value.Json(p.Value))).ToList();
                return true;
            case Value.Json { Element.ValueKind: JsonValueKind.Array } j:
                isArray = true;
                members = j.Element.EnumerateArray().Select(e => ((string?)null, (Value)new Value.Json(e))).ToList();
                return true;
            default:
                isArray = false;
                members = [];
                return false;
        }
    }

    /// <summary>The value on one line.</summary>
    private static string Inline(Value value)
    {
        if (!IsContainer(value, out var isArray, out var members))
        {
            return Scalar(((Value.Json)value).Element);
        }

        if (members.Count == 0)
        {
            return isArray ? "[]" : "{}";
        }

        var text = new StringBuilder(isArray ? "[" : "{ ");
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            if (members[i].Key is { } key)
            {
                text.Append(Key(key)).Append(": ");
            }

            text.Append(Inline(members[i].Value));
        }

        return text.Append(isArray ? "]" : " }").ToString();
    }

    /// <summary>
    /// Writes the value starting at <paramref name="column"/> of a line indented <paramref name="indent"/> levels;
    /// <paramref name="reserved"/> characters must still fit after it (a comma, a closing parenthesis).
    /// </summary>
    private static void Write(StringBuilder text, Value value, int indent, int column, int reserved)
    {
        var inline = Inline(value);
        if (column + inline.Length + reserved <= LineWidth
            || !IsContainer(value, out var isArray, out var members) || members.Count == 0)
        {
            text.Append(inline);
            return;
        }

        text.Append(isArray ? '[' : '{').Append('\n');
        for (var i = 0; i < members.Count; i++)
        {
            var start = text.Length;
            for (var level = 0; level <= indent; level++)
            {
                text.Append(Indent);
            }

            if (members[i].Key is { } key)
            {
                text.Append(Key(key)).Append(": ");
            }

            var last = i == members.Count - 1;
            Write(text, members[i].Value, indent + 1, text.Length - start, reserved: last ? 0 : 1);
            text.Append(last ? "\n" : ",\n");
        }

        for (var level = 0; level < indent; level++)
        {
            text.Append(Indent);
        }

        text.Append(isArray ? ']' : '}');
    }

    private static string Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => StringLiteral(element),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    // A JSON string with an escaped lone surrogate cannot become a .NET string; its JSON text is a valid JavaScript
    // string literal as it stands.
    private static string StringLiteral(JsonElement element)
    {
        try
        {
            return Quote(element.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return element.GetRawText();
        }
    }

    private static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD";
        }
    }

    /// <summary>A property name: as it is when it is an identifier (<c>revenue</c>), else quoted (<c>"first name"</c>).</summary>
    internal static string Key(string name) => IsIdentifier(name) ? name : Quote(name);

    internal static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] is '_' or '$'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A double-quoted JavaScript string. Letters of every script and emoji stay as they are; quotes, backslashes,
    /// control characters, line and paragraph separators, invisible format characters (such as bidirectional
    /// overrides, which could make the text read differently from what it is) and unpaired surrogates are escaped.
    /// The joiners inside emoji sequences are kept.
    /// </summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[++i]);
                    }
                    else if (MustEscape(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    private static bool MustEscape(char c) =>
        c is not ('\u200c' or '\u200d')
        && (char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
