using System.Net;
using System.Net.Sockets;

namespace Junction.Protocols.Plans.Schema;

/// <summary>The <c>format</c> values Junction checks; any other format name is an annotation and checks nothing.</summary>
internal enum FormatKind
{
    DateTime,
    Date,
    Time,
    Email,
    Uri,
    Uuid,
    Ipv4,
    Ipv6,
    Hostname,
}

/// <summary>
/// The format checks, written from the RFCs draft-07 names: RFC 3339 <c>date-time</c>, <c>full-date</c> and
/// <c>full-time</c> (an offset is required, a leap second is accepted), RFC 5321 mailbox addresses (dot-atoms or
/// quoted local parts, a host name or an address literal), absolute URIs (RFC 3986: a scheme and no character a URI
/// cannot hold), RFC 4122 UUIDs (hyphenated hex), dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 without zone,
/// and RFC 1123 host names (labels of letters, digits and inner hyphens, 63 characters each, 253 in all).
/// </summary>
internal static class Formats
{
    public static bool TryParse(string name, out FormatKind kind)
    {
        (var known, kind) = name switch
        {
            "date-time" => (true, FormatKind.DateTime),
            "date" => (true, FormatKind.Date),
            "time" => (true, FormatKind.Time),
            "email" => (true, FormatKind.Email),
            "uri" => (true, FormatKind.Uri),
            "uuid" => (true, FormatKind.Uuid),
            "ipv4" => (true, FormatKind.Ipv4),
            "ipv6" => (true, FormatKind.Ipv6),
            "hostname" => (true, FormatKind.Hostname),
            _ => (false, default),
        };
        return known;
    }

    public static bool IsValid(FormatKind kind, ReadOnlySpan<char> text) => kind switch
    {
        FormatKind.DateTime => IsDateTime(text),
        FormatKind.Date => IsDate(text),
        FormatKind.Time => IsTime(text),
        FormatKind.Email => IsEmail(text),
        FormatKind.Uri => IsUri(text),
        FormatKind.Uuid => IsUuid(text),
        FormatKind.Ipv4 => IsIpv4(text),
        FormatKind.Ipv6 => IsIpv6(text),
        _ => IsHostname(text),
    };

    public static bool IsDateTime(ReadOnlySpan<char> text)
    {
        var t = text.IndexOfAny('T', 't');
        return t == 10 && IsDate(text[..10]) && IsTime(text[11..]);
    }

    public static bool IsDate(ReadOnlySpan<char> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day))
        {
            return false;
        }

        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(year, 1), month);
    }

    public static bool IsTime(ReadOnlySpan<char> text)
    {
        // partial-time: HH:MM:SS[.fraction], then Z or ±HH:MM.
        if (text.Length < 9 || text[2] != ':' || text[5] != ':'
            || !Digits(text[..2], out var hour) || !Digits(text.Slice(3, 2), out var minute) || !Digits(text.Slice(6, 2), out var second)
            || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var rest = text[8..];
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 1)
            {
                return false;
            }

            rest = rest[digits..];
        }

        if (rest is ['Z' or 'z'])
        {
            return true;
        }

        return rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':'
            && Digits(rest.Slice(1, 2), out var offsetHour) && Digits(rest.Slice(4, 2), out var offsetMinute)
            && offsetHour <= 23 && offsetMinute <= 59;
    }

    public static bool IsEmail(ReadOnlySpan<char> text)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return false;
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        if (!IsLocalPart(local))
        {
            return false;
        }

        if (domain[0] == '[' && domain[^1] == ']')
        {
            var literal = domain[1..^1];
            return literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? IsIpv6(literal[5..]) : IsIpv4(literal);
        }

        return IsHostname(domain);
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local)
    {
        if (local.Length > 64)
        {
            return false;
        }

        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            var inner = local[1..^1];
            for (var i = 0; i < inner.Length; i++)
            {
                var c = inner[i];
                if (c == '\\')
                {
                    if (++i >= inner.Length || inner[i] < ' ' || inner[i] > '~')
                    {
                        return false;
                    }
                }
                else if (c is '"' || c < ' ' || c > '~')
                {
                    return false;
                }
            }

            return true;
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '/'
                or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsUri(ReadOnlySpan<char> text)
    {
        var colon = text.IndexOf(':');
        if (colon < 1 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text[..colon])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        for (var i = colon + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c <= ' ' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}' || c == '\u007f')
            {
                return false;
            }

            if (c == '%' && (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])))
            {
                return false;
            }
        }

        return System.Uri.TryCreate(text.ToString(), UriKind.Absolute, out _);
    }

    public static bool IsUuid(ReadOnlySpan<char> text)
    {
        if (text.Length != 36)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? text[i] != '-' : !char.IsAsciiHexDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIpv4(ReadOnlySpan<char> text)
    {
        var parts = 0;
        while (true)
        {
            var dot = text.IndexOf('.');
            var part = dot < 0 ? text : text[..dot];
            if (part.Length is < 1 or > 3 || (part.Length > 1 && part[0] == '0') || !Digits(part, out var value) || value > 255)
            {
                return false;
            }

            parts++;
            if (dot < 0)
            {
                return parts == 4;
            }

            text = text[(dot + 1)..];
        }
    }

    public static bool IsIpv6(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }

        return text.Contains(':') && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    public static bool IsHostname(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > 253)
        {
            return false;
        }

        while (true)
        {
            var dot = text.IndexOf('.');
            var label = dot < 0 ? text : text[..dot];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }

            if (dot < 0)
            {
                return true;
            }

            text = text[(dot + 1)..];
        }
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
