namespace Junction.Mapping;

/// <summary>
/// A path such as <c>$.properties.products[0]['unit price']</c>, split into keys once when the mapping is
/// compiled. The rules follow Segment's reader exactly:
/// <list type="bullet">
/// <item>for <c>@path</c> and <c>@arrayPath</c> the first <c>$.</c> in the text is removed (templates keep it);</item>
/// <item>the text splits at every <c>.</c>, at a <c>[</c> followed by a quote or a digit, and at a run of
/// <c>]</c> that follows a quote or a digit, so <c>a[b]</c> stays one key named <c>a[b]</c>;</item>
/// <item>empty pieces are dropped, then every <c>'</c> and <c>"</c> is removed from each key;</item>
/// <item>no keys at all (<c>""</c>, <c>"."</c>, <c>"$."</c>) means the whole value read from.</item>
/// </list>
/// </summary>
internal sealed class MappingPath
{
    private readonly string[] _keys;

    private MappingPath(string text, string[] keys)
    {
        Text = text;
        _keys = keys;
    }

    /// <summary>The path as written in the mapping.</summary>
    public string Text { get; }

    public IReadOnlyList<string> Keys => _keys;

    /// <summary>A path of <c>@path</c> or <c>@arrayPath</c>: the first <c>$.</c> is removed before splitting.</summary>
    public static MappingPath ParseDirectivePath(string text)
    {
        var at = text.IndexOf("$.", StringComparison.Ordinal);
        var stripped = at < 0 ? text : string.Concat(text.AsSpan(0, at), text.AsSpan(at + 2));
        return new MappingPath(text, Split(stripped));
    }

    /// <summary>A path inside template braces, already trimmed; nothing is removed before splitting.</summary>
    public static MappingPath ParseTemplatePath(string text) => new(text, Split(text));

    /// <summary>
    /// Reads the path from <paramref name="root"/>. As in Segment's reader, a step from a falsy value (null, 0,
    /// "", false) stops there and yields that value; a missing key yields undefined.
    /// </summary>
    public MappingValue Read(MappingValue root)
    {
        var current = root;
        foreach (var key in _keys)
        {
            if (!JsSemantics.IsTruthy(current))
            {
                return current;
            }

            current = current.Member(key);
        }

        return current;
    }

    private static string[] Split(string text)
    {
        var keys = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var separatorLength = 0;
            if (c == '.')
            {
                separatorLength = 1;
            }
            else if (c == '[' && i + 1 < text.Length && OpensOrClosesIndex(text[i + 1]))
            {
                separatorLength = 1;
            }
            else if (c == ']' && i > 0 && OpensOrClosesIndex(text[i - 1]))
            {
                separatorLength = 1;
                while (i + separatorLength < text.Length && text[i + separatorLength] == ']')
                {
                    separatorLength++;
                }
            }

            if (separatorLength == 0)
            {
                i++;
                continue;
            }

            AddKey(keys, text, start, i);
            i += separatorLength;
            start = i;
        }

        AddKey(keys, text, start, text.Length);
        return [.. keys];
    }

    private static bool OpensOrClosesIndex(char c) => c is '"' or '\'' || char.IsAsciiDigit(c);

    private static void AddKey(List<string> keys, string text, int start, int end)
    {
        if (end <= start)
        {
            return;
        }

        var piece = text[start..end];
        keys.Add(piece.Contains('"') || piece.Contains('\'') ? piece.Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal) : piece);
    }
}
