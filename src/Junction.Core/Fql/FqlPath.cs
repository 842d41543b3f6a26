using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Junction.Fql;

/// <summary>
/// A dot-separated field path such as <c>context.library.version</c> or <c>properties.product\ 1.price</c>.
/// A key may hold <c>A-Z a-z 0-9 _ -</c>; any other character is written after a backslash. A key made only of
/// digits also indexes into an array (<c>properties.products.0.sku</c>).
/// </summary>
internal sealed class FqlPath
{
    private readonly byte[][] _utf8Segments;
    private readonly int[] _indexes;

    private FqlPath(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
        _utf8Segments = [.. segments.Select(Encoding.UTF8.GetBytes)];
        _indexes = [.. segments.Select(s => s.Length is > 0 and <= 9 && s.All(char.IsAsciiDigit)
            ? int.Parse(s, CultureInfo.InvariantCulture)
            : -1)];
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>The keys, with escapes removed. Empty for the path <c>""</c> (the top level).</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The top level of the event.</summary>
    public static FqlPath Root { get; } = new("", []);

    /// <summary>True when <paramref name="c"/> may appear in a key without a backslash.</summary>
    public static bool IsPlainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Parses a whole string as a path; the empty string is the top level.</summary>
    public static bool TryParse(string text, out FqlPath path, out string error)
    {
        if (text.Length == 0)
        {
            path = Root;
            error = "";
            return true;
        }

        var end = Scan(text, 0, out var segments, out error, out var errorIndex);
        if (end < 0 || end != text.Length)
        {
            if (end >= 0)
            {
                errorIndex = end;
                error = $"Unexpected character \"{text[end]}\" at column {end + 1}; write it after a \"\\\" to use it in a key.";
            }
            else
            {
                error = $"{error} at column {errorIndex + 1}.";
            }

            path = Root;
            return false;
        }

        path = new FqlPath(text, segments);
        return true;
    }

    /// <summary>Builds a path from keys already split and unescaped.</summary>
    public static FqlPath FromSegments(string text, string[] segments) => new(text, segments);

    /// <summary>
    /// Reads a path starting at <paramref name="start"/>. Returns the index just after it, or -1 with an error
    /// sentence (without its position) and the index of the fault.
    /// </summary>
    public static int Scan(string text, int start, out string[] segments, out string error, out int errorIndex)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var i = start;
        error = "";
        errorIndex = -1;
        segments = [];
        while (true)
        {
            var segmentStart = i;
            while (i < text.Length)
            {
                var c = text[i];
                if (IsPlainChar(c))
                {
                    current.Append(c);
                    i++;
                }
                else if (c == '\\')
                {
                    if (i + 1 >= text.Length)
                    {
                        error = "Expected a character after \"\\\"";
                        errorIndex = i;
                        return -1;
                    }

                    current.Append(text[i + 1]);
                    i += 2;
                }
                else
                {
                    break;
                }
            }

            if (i == segmentStart)
            {
                error = "Expected a field name after \".\"";
                errorIndex = i;
                return -1;
            }

            parts.Add(current.ToString());
            current.Clear();
            if (i < text.Length && text[i] == '.')
            {
                i++;
                continue;
            }

            segments = [.. parts];
            return i;
        }
    }

    /// <summary>Finds the value at this path; false when any key along the way is missing.</summary>
    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        for (var i = 0; i < _utf8Segments.Length; i++)
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                if (!value.TryGetProperty(_utf8Segments[i], out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind == JsonValueKind.Array && _indexes[i] >= 0 && _indexes[i] < value.GetArrayLength())
            {
                value = value[_indexes[i]];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
