using System.Text;
using System.Text.Json.Nodes;

namespace Junction.Protocols.Transformations;

/// <summary>
/// A field path of a transformation, split at dots (<c>properties.product.sku</c>); <c>\.</c> is a dot inside a key
/// and <c>\\</c> a backslash. A path may be relative (no <c>properties.</c>, <c>traits.</c> or <c>context.</c> in
/// front), in which case it is read under <c>properties</c> for track, page and screen calls and under <c>traits</c>
/// for identify and group calls.
/// </summary>
internal sealed class EventPath
{
    /// <summary>The roots a rename may start from.</summary>
    public static readonly string[] Roots = ["properties", "traits", "context"];

    private EventPath(string text, string[] segments, bool relative)
    {
        Text = text;
        Segments = segments;
        IsRelative = relative;
    }

    public string Text { get; }

    /// <summary>The keys, unescaped; for an absolute path the first is the root.</summary>
    public string[] Segments { get; }

    /// <summary>True when the path is read under the event's <c>properties</c> or <c>traits</c>.</summary>
    public bool IsRelative { get; }

    /// <summary>How many levels the path goes below its root.</summary>
    public int Depth => IsRelative ? Segments.Length : Segments.Length - 1;

    /// <summary>Splits a path; relative when it does not start with a root (only if <paramref name="allowRelative"/>).</summary>
    public static EventPath? TryParse(string? text, bool allowRelative, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "a path is empty";
            return null;
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = $"the path \"{text}\" ends with a backslash";
                    return null;
                }

                current.Append(text[++i]);
            }
            else if (c == '.')
            {
                if (current.Length == 0)
                {
                    error = $"the path \"{text}\" has an empty key";
                    return null;
                }

                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length == 0)
        {
            error = $"the path \"{text}\" has an empty key";
            return null;
        }

        segments.Add(current.ToString());
        var rooted = segments.Count > 1 && Roots.Contains(segments[0], StringComparer.Ordinal);
        if (!rooted && !allowRelative)
        {
            return new EventPath(text, [.. segments], relative: false);
        }

        return new EventPath(text, [.. segments], relative: !rooted);
    }

    /// <summary>True when this path equals <paramref name="other"/> or one of them lies inside the other.</summary>
    public bool Overlaps(EventPath other, string root)
    {
        var a = Resolve(root);
        var b = other.Resolve(root);
        var shared = Math.Min(a.Length, b.Length);
        for (var i = 0; i < shared; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The keys from the top of the event, reading a relative path under <paramref name="root"/>.</summary>
    public string[] Resolve(string root) => IsRelative ? [root, .. Segments] : Segments;

    /// <summary>Finds the object that holds the last key, or null when a key along the way is missing or not an object.</summary>
    public static JsonObject? Parent(JsonObject root, string[] keys, bool create)
    {
        var current = root;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (current.TryGetPropertyValue(keys[i], out var next) && next is JsonObject child)
            {
                current = child;
            }
            else if (create && next is null)
            {
                child = [];
                current[keys[i]] = child;
                current = child;
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The value at a path, or null when it is missing (or JSON null).</summary>
    public static JsonNode? Get(JsonObject root, string[] keys) =>
        Parent(root, keys, create: false) is { } parent && parent.TryGetPropertyValue(keys[^1], out var value) ? value : null;

    public override string ToString() => Text;
}
