using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Junction.Warehouses.Schema;

/// <summary>
/// How a JSON value becomes a warehouse value, and how warehouse values are typed and written as text. A value is a
/// <see cref="bool"/>, a <see cref="long"/> (an integer that fits), a <see cref="double"/> (any other finite number),
/// a <see cref="DateTimeOffset"/> in UTC (a string that is strictly an RFC 3339 date-time with an offset) or a
/// <see cref="string"/> (any other string, a number too large for a double, or an array as compact JSON).
/// </summary>
internal static class WarehouseValues
{
    private const int MaxStackBytes = 256;

    private static readonly object True = true;

    private static readonly object False = false;

    /// <summary>The value of a JSON scalar or array; null for JSON null (and for objects, which are flattened instead).</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    return integer;
                }

                return element.TryGetDouble(out var number) && double.IsFinite(number) ? number : element.GetRawText();
            case JsonValueKind.String:
                return StringValue(element);
            case JsonValueKind.Array:
                return CompactJson(JsonMarshal.GetRawUtf8Value(element));
            default:
                return null;
        }
    }

    /// <summary>A JSON string as a timestamp when it is one (<see cref="TryParseTimestamp(ReadOnlySpan{byte}, out DateTimeOffset)"/>), else as text.</summary>
    public static object? StringValue(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        var content = raw[1..^1];
        if (content.IndexOf((byte)'\\') < 0)
        {
            return TryParseTimestamp(content, out var time) ? time : element.GetString();
        }

        var text = element.GetString()!;
        return TryParseTimestamp(text, out var escaped) ? escaped : text;
    }

    /// <summary>A JSON string as a timestamp, or null when it is not a string or not strictly a date-time.</summary>
    public static DateTimeOffset? Timestamp(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        return TryParseTimestamp(raw[1..^1], out var time) ? time : null;
    }

    /// <summary>Strict date-time check on text (see the UTF-8 overload).</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > MaxStackBytes / 3)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[MaxStackBytes];
        var length = Encoding.UTF8.GetBytes(text, utf8);
        return TryParseTimestamp(utf8[..length], out value);
    }

    /// <summary>
    /// Parses <c>yyyy-MM-ddTHH:mm:ss</c>, optional fraction digits (beyond 100 ns ignored), then <c>Z</c> or
    /// <c>±hh:mm</c> (at most 14 hours), nothing before or after; the result is in UTC. Anything else is not a timestamp.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var index = 19;
        long fraction = 0;
        if (text[index] == '.')
        {
            index++;
            var start = index;
            var scale = TimeSpan.TicksPerSecond;
            while (index < text.Length && char.IsAsciiDigit((char)text[index]))
            {
                if (scale > 1)
                {
                    scale /= 10;
                    fraction += (text[index] - '0') * scale;
                }

                index++;
            }

            if (index == start)
            {
                return false;
            }
        }

        long offset;
        if (index == text.Length - 1 && text[index] == 'Z')
        {
            offset = 0;
        }
        else if (index == text.Length - 6 && text[index] is (byte)'+' or (byte)'-' && text[index + 3] == ':'
            && Digits(text, index + 1, 2, out var offsetHours) && Digits(text, index + 4, 2, out var offsetMinutes)
            && offsetMinutes <= 59 && (offsetHours * 60) + offsetMinutes <= 14 * 60)
        {
            offset = ((offsetHours * 60) + offsetMinutes) * TimeSpan.TicksPerMinute * (text[index] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fraction;
        var utc = local - offset;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// A looser date-time check for text going into a timestamp column: text that starts with an ISO 8601 date
    /// (<c>yyyy-MM-dd</c>) and that .NET reads as a date and time, UTC when it gives no offset (<c>2026-11-28</c>,
    /// <c>2026-11-28 21:07:09</c>).
    /// </summary>
    public static bool TryParseLoose(string text, out DateTimeOffset value)
    {
        if (TryParseTimestamp(text, out value))
        {
            return true;
        }

        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2])
            && char.IsAsciiDigit(text[3]) && text[4] == '-' && char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6])
            && text[7] == '-' && char.IsAsciiDigit(text[8]) && char.IsAsciiDigit(text[9])
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>JSON text without the whitespace between tokens; strings (and their escapes) are kept byte for byte.</summary>
    public static string CompactJson(ReadOnlySpan<byte> json)
    {
        if (json.IndexOfAny(" \t\r\n"u8) < 0)
        {
            return Encoding.UTF8.GetString(json);
        }

        var rented = json.Length > MaxStackBytes ? ArrayPool<byte>.Shared.Rent(json.Length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[MaxStackBytes] : rented;
        try
        {
            var length = 0;
            var inString = false;
            var escaped = false;
            foreach (var b in json)
            {
                if (inString)
                {
                    buffer[length++] = b;
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == '\\')
                    {
                        escaped = true;
                    }
                    else if (b == '"')
                    {
                        inString = false;
                    }
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    buffer[length++] = b;
                    inString = b == '"';
                }
            }

            return Encoding.UTF8.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The column type a value creates.</summary>
    public static ColumnType TypeOf(object value) => value switch
    {
        bool => ColumnType.Boolean,
        long => ColumnType.Integer,
        double => ColumnType.Float,
        DateTimeOffset => ColumnType.Timestamp,
        _ => ColumnType.Text,
    };

    /// <summary>
    /// How a value reads in a text column or in <c>junction_discards</c>: <c>true</c>/<c>false</c>, numbers in
    /// invariant culture (floats in their shortest exact form), timestamps as ISO 8601 with milliseconds and <c>Z</c>.
    /// </summary>
    public static string ToText(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double number => FloatText(number),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>The name of a value's kind in discard reasons (<c>boolean column, got string</c>).</summary>
    public static string KindOf(object value) => value switch
    {
        bool => "boolean",
        long => "integer",
        double => "float",
        DateTimeOffset => "timestamp",
        _ => "string",
    };

    /// <summary>The name of a column type in discard reasons.</summary>
    public static string NameOf(ColumnType type) => type switch
    {
        ColumnType.Boolean => "boolean",
        ColumnType.Integer => "integer",
        ColumnType.Float => "float",
        ColumnType.Timestamp => "timestamp",
        _ => "text",
    };

    /// <summary>A float's shortest exact text, written as PostgreSQL writes it (<c>1.5</c>, <c>123</c>, <c>1e+20</c>).</summary>
    private static string FloatText(double number)
    {
        var text = number.ToString(CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? text.Replace('E', 'e') : text;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
