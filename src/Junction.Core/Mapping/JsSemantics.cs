using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Junction.Mapping;

/// <summary>
/// The few JavaScript rules that Segment's mappings depend on, applied to <see cref="MappingValue"/>s: what counts
/// as true, how a value turns into text, how a number is printed, and how <c>JSON.stringify</c> writes a value.
/// </summary>
internal static class JsSemantics
{
    /// <summary>JavaScript truthiness: undefined, null, false, 0, NaN and "" are false; everything else is true.</summary>
    public static bool IsTruthy(MappingValue value) => value.Kind switch
    {
        ValueKind.Undefined => false,
        ValueKind.String => value.BuiltString.Length > 0,
        ValueKind.Object or ValueKind.Array => true,
        _ => IsTruthy(value.Json),
    };

    /// <summary>Truthiness of a JSON value written in a mapping.</summary>
    public static bool IsTruthy(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => element.GetString()!.Length > 0,
        JsonValueKind.Number => element.TryGetDouble(out var number) && number != 0 && !double.IsNaN(number),
        _ => true,
    };

    /// <summary>
    /// Whether <c>@if</c>'s <c>blank</c> condition holds: the value is neither undefined nor null and is loosely
    /// unequal to "" (JavaScript's <c>value != ''</c>). So "", 0, false and arrays that print as "" are blank;
    /// "0", " " and objects are not.
    /// </summary>
    public static bool IsNotBlank(MappingValue value)
    {
        if (value.IsNullOrUndefined)
        {
            return false;
        }

        if (value.IsNumber)
        {
            return value.GetNumber() != 0;
        }

        if (value.IsBoolean)
        {
            return value.Json.ValueKind == JsonValueKind.True;
        }

        if (value.IsObject)
        {
            return true;
        }

        return ToText(value).Length > 0;
    }

    /// <summary>
    /// The text JavaScript's <c>String(value ?? '')</c> gives: "" for undefined and null, the shortest form of a
    /// number, "true"/"false", "[object Object]" for an object, and the items joined by commas for an array.
    /// </summary>
    public static string ToText(MappingValue value)
    {
        if (value.TryGetString(out var text))
        {
            return text;
        }

        if (value.IsNullOrUndefined)
        {
            return "";
        }

        if (value.IsObject)
        {
            return "[object Object]";
        }

        if (value.IsArray)
        {
            var builder = new StringBuilder();
            AppendArrayText(builder, value);
            return builder.ToString();
        }

        if (value.IsNumber)
        {
            return FormatNumber(value.GetNumber());
        }

        return value.Json.ValueKind == JsonValueKind.True ? "true" : "false";
    }

    private static void AppendArrayText(StringBuilder builder, MappingValue array)
    {
        var items = array.ToItems();
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            if (items[i].IsArray)
            {
                AppendArrayText(builder, items[i]);
            }
            else
            {
                builder.Append(ToText(items[i]));
            }
        }
    }

    /// <summary>A number as JavaScript prints it (ECMAScript Number::toString): 12.5, 1e+21, 1e-7, 0.000001.</summary>
    public static string FormatNumber(double number)
    {
        if (double.IsNaN(number))
        {
            return "NaN";
        }

        if (double.IsInfinity(number))
        {
            return number > 0 ? "Infinity" : "-Infinity";
        }

        if (number == 0)
        {
            return "0";
        }

        // "R" gives the shortest digits that round-trip, as JavaScript does; only the layout differs.
        var roundTrip = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var digits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));

        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        var k = digits.Length;
        var n = integerDigits - leadingZeros + exponent;
        var sign = number < 0 ? "-" : "";

        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var fraction = k > 1 ? "." + digits[1..] : "";
        return sign + digits[0] + fraction + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>JSON.stringify(value)</c>: null for undefined (JavaScript returns undefined), members with undefined
    /// values left out, undefined items and non-finite numbers written as null, strings escaped as JavaScript does.
    /// </summary>
    public static string? Stringify(MappingValue value)
    {
        if (value.IsUndefined)
        {
            return null;
        }

        var builder = new StringBuilder();
        WriteJson(builder, value);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, MappingValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.Undefined:
                builder.Append("null");
                return;
            case ValueKind.String:
                WriteString(builder, value.BuiltString);
                return;
            case ValueKind.Object:
                var members = value.BuiltObject;
                builder.Append('{');
                var first = true;
                for (var i = 0; i < members.Count; i++)
                {
                    if (members.ValueAt(i).IsUndefined)
                    {
                        continue;
                    }

                    builder.Append(first ? "" : ",");
                    first = false;
                    WriteString(builder, members.KeyAt(i));
                    builder.Append(':');
                    WriteJson(builder, members.ValueAt(i));
                }

                builder.Append('}');
                return;
            case ValueKind.Array:
                WriteItems(builder, value.BuiltArray);
                return;
            default:
                WriteElement(builder, value.Json);
                return;
        }
    }

    private static void WriteItems(StringBuilder builder, MappingValue[] items)
    {
        builder.Append('[');
        for (var i = 0; i < items.Length; i++)
        {
            builder.Append(i > 0 ? "," : "");
            WriteJson(builder, items[i]);
        }

        builder.Append(']');
    }

    private static void WriteElement(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var member in element.EnumerateObject())
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    WriteString(builder, member.Name);
                    builder.Append(':');
                    WriteElement(builder, member.Value);
                }

                builder.Append('}');
                return;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(index++ > 0 ? "," : "");
                    WriteElement(builder, item);
                }

                builder.Append(']');
                return;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                return;
            case JsonValueKind.Number:
                var number = element.TryGetDouble(out var parsed) ? parsed : double.NaN;
                builder.Append(double.IsFinite(number) ? FormatNumber(number) : "null");
                return;
            case JsonValueKind.True:
                builder.Append("true");
                return;
            case JsonValueKind.False:
                builder.Append("false");
                return;
            default:
                builder.Append("null");
                return;
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20 || IsLoneSurrogate(text, i))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static bool IsLoneSurrogate(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
    }
}
