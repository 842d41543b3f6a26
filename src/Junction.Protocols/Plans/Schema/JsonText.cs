using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// Reading strings, names and numbers of an event without allocating: a string or property name without escape
/// sequences is decoded from its UTF-8 bytes into a caller's buffer; only escaped or long text becomes a string.
/// Also the JSON Schema view of values: type names, integers, and equality.
/// </summary>
internal static class JsonText
{
    /// <summary>The size of the buffer callers put on the stack for <see cref="Chars"/> and <see cref="Name"/>.</summary>
    public const int Scratch = 256;

    /// <summary>
    /// The text of a string value of an event. A string holding an escaped lone surrogate (<c>"\ud800"</c>) cannot
    /// be decoded; it reads as its raw JSON text instead, so that checking such an event never throws.
    /// </summary>
    public static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value)[1..^1]);
        }
    }

    /// <summary>The name of a property of an event, read as <see cref="StringOf"/> reads strings.</summary>
    public static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property));
        }
    }

    /// <summary>The characters of a string value.</summary>
    public static ReadOnlySpan<char> Chars(JsonElement value, Span<char> scratch)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (raw.Length <= scratch.Length && !raw.Contains((byte)'\\'))
        {
            return scratch[..Encoding.UTF8.GetChars(raw, scratch)];
        }

        return StringOf(value);
    }

    /// <summary>The characters of a property name.</summary>
    public static ReadOnlySpan<char> Name(JsonProperty property, Span<char> scratch)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length <= scratch.Length && !raw.Contains((byte)'\\'))
        {
            return scratch[..Encoding.UTF8.GetChars(raw, scratch)];
        }

        return NameOf(property);
    }

    /// <summary>The length of a string value in Unicode code points, as JSON Schema counts it.</summary>
    public static int CodePoints(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (!raw.Contains((byte)'\\'))
        {
            var count = 0;
            foreach (var b in raw)
            {
                if ((b & 0xC0) != 0x80)
                {
                    count++;
                }
            }

            return count;
        }

        var text = StringOf(value);
        var runes = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            runes++;
        }

        return runes;
    }

    /// <summary>True for a number with no fractional part (<c>1</c>, <c>1.0</c>, <c>1e3</c>).</summary>
    public static bool IsInteger(JsonElement number)
    {
        var raw = JsonMarshal.GetRawUtf8Value(number);
        if (!raw.ContainsAny((byte)'.', (byte)'e', (byte)'E'))
        {
            return true;
        }

        if (number.TryGetDecimal(out var exact))
        {
            return exact == decimal.Truncate(exact);
        }

        return number.TryGetDouble(out var approximate) && double.IsFinite(approximate) && Math.Floor(approximate) == approximate;
    }

    /// <summary>A number as a double; one too large for a double reads as an infinity of its sign.</summary>
    public static double Double(JsonElement number)
    {
        if (number.TryGetDouble(out var value))
        {
            return value;
        }

        var raw = JsonMarshal.GetRawUtf8Value(number);
        var exponentNegative = raw.IndexOf("e-"u8) >= 0 || raw.IndexOf("E-"u8) >= 0;
        if (exponentNegative)
        {
            return 0;
        }

        return raw[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The JSON Schema type name of a value: a whole number is an <c>integer</c>, any other a <c>number</c>.</summary>
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        _ => "null",
    };

    /// <summary>JSON Schema equality: same type and value, numbers by value (<c>1</c> equals <c>1.0</c>), objects key by key.</summary>
    public static bool SameValue(JsonElement left, JsonElement right)
    {
        if (left.ValueKind == JsonValueKind.Number && right.ValueKind == JsonValueKind.Number)
        {
            return SameNumber(left, right);
        }

        var leftKind = left.ValueKind == JsonValueKind.False ? JsonValueKind.True : left.ValueKind;
        var rightKind = right.ValueKind == JsonValueKind.False ? JsonValueKind.True : right.ValueKind;
        if (leftKind != rightKind)
        {
            return false;
        }

        switch (left.ValueKind)
        {
            case JsonValueKind.String:
                return JsonMarshal.GetRawUtf8Value(left).SequenceEqual(JsonMarshal.GetRawUtf8Value(right))
                    || string.Equals(StringOf(left), StringOf(right), StringComparison.Ordinal);
            case JsonValueKind.Array:
                if (left.GetArrayLength() != right.GetArrayLength())
                {
                    return false;
                }

                var rightItems = right.EnumerateArray();
                foreach (var item in left.EnumerateArray())
                {
                    rightItems.MoveNext();
                    if (!SameValue(item, rightItems.Current))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in left.EnumerateObject())
                {
                    count++;
                    if (!right.TryGetProperty(NameOf(property), out var other) || !SameValue(property.Value, other))
                    {
                        return false;
                    }
                }

                foreach (var _ in right.EnumerateObject())
                {
                    count--;
                }

                return count == 0;
            default:
                return left.ValueKind == right.ValueKind;
        }
    }

    private static bool SameNumber(JsonElement left, JsonElement right)
    {
        if (JsonMarshal.GetRawUtf8Value(left).SequenceEqual(JsonMarshal.GetRawUtf8Value(right)))
        {
            return true;
        }

        if (left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b))
        {
            return a == b;
        }

        return left.TryGetDouble(out var x) && right.TryGetDouble(out var y) && x == y;
    }

    /// <summary>A number as written in a message.</summary>
    public static string Show(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value as compact JSON, for messages.</summary>
    public static string Show(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
