using System.Text;

namespace Junction.Fql;

/// <summary>
/// A compiled glob pattern for <c>match()</c>. The pattern must cover the whole string and is case-sensitive:
/// <c>*</c> is any run of characters (empty included), <c>?</c> exactly one character, <c>[abc]</c> one of the
/// listed characters, <c>[a-z]</c> one character in the range, <c>[!a-z]</c> or <c>[^a-z]</c> one character
/// outside it, and <c>\x</c> the character <c>x</c> itself. A character is a Unicode scalar, so <c>?</c> matches
/// an emoji as a whole.
/// </summary>
internal sealed class FqlGlob
{
    private readonly Part[] _parts;

    private FqlGlob(string pattern, Part[] parts)
    {
        Pattern = pattern;
        _parts = parts;
    }

    public string Pattern { get; }

    /// <summary>Compiles <paramref name="pattern"/>, or explains what is wrong with it.</summary>
    public static bool TryCompile(string pattern, out FqlGlob glob, out string error)
    {
        var parts = new List<Part>();
        var i = 0;
        glob = null!;
        error = "";
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (parts.Count == 0 || parts[^1].Kind != PartKind.AnyRun)
                {
                    parts.Add(new Part(PartKind.AnyRun));
                }

                i++;
            }
            else if (c == '?')
            {
                parts.Add(new Part(PartKind.AnyOne));
                i++;
            }
            else if (c == '[')
            {
                if (!TryClass(pattern, ref i, out var part, out error))
                {
                    return false;
                }

                parts.Add(part);
            }
            else
            {
                if (!TryLiteral(pattern, ref i, out var rune, out error))
                {
                    return false;
                }

                parts.Add(new Part(PartKind.Literal, rune.Value));
            }
        }

        glob = new FqlGlob(pattern, [.. parts]);
        return true;
    }

    /// <summary>True when the whole of <paramref name="text"/> matches the pattern.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        var p = 0;
        var t = 0;

        // Where the last '*' sits and where the text stood when it was last tried; on a mismatch the star
        // takes one more character and matching resumes after it. This keeps the match linear in practice and
        // never worse than pattern length times text length.
        var starPart = -1;
        var starText = 0;
        while (t < text.Length)
        {
            if (p < _parts.Length)
            {
                var part = _parts[p];
                if (part.Kind == PartKind.AnyRun)
                {
                    starPart = p++;
                    starText = t;
                    continue;
                }

                Rune.DecodeFromUtf16(text[t..], out var rune, out var width);
                if (part.Matches(rune.Value))
                {
                    p++;
                    t += width;
                    continue;
                }
            }

            if (starPart < 0)
            {
                return false;
            }

            Rune.DecodeFromUtf16(text[starText..], out _, out var skipped);
            starText += skipped;
            t = starText;
            p = starPart + 1;
        }

        while (p < _parts.Length && _parts[p].Kind == PartKind.AnyRun)
        {
            p++;
        }

        return p == _parts.Length;
    }

    private static bool TryLiteral(string pattern, ref int i, out Rune rune, out string error)
    {
        error = "";
        if (pattern[i] == '\\')
        {
            if (i + 1 >= pattern.Length)
            {
                rune = default;
                error = "the pattern ends with \"\\\"; write \"\\\\\" to match a backslash";
                return false;
            }

            i++;
        }

        Rune.DecodeFromUtf16(pattern.AsSpan(i), out rune, out var width);
        i += width;
        return true;
    }

    private static bool TryClass(string pattern, ref int i, out Part part, out string error)
    {
        var open = i;
        part = default;
        i++;
        var negate = i < pattern.Length && pattern[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var ranges = new List<(int Low, int High)>();
        while (true)
        {
            if (i >= pattern.Length)
            {
                error = $"the \"[\" at position {open + 1} of the pattern is not closed";
                return false;
            }

            if (pattern[i] == ']')
            {
                i++;
                break;
            }

            if (!TryLiteral(pattern, ref i, out var low, out error))
            {
                return false;
            }

            var high = low;
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                i++;
                if (!TryLiteral(pattern, ref i, out high, out error))
                {
                    return false;
                }

                if (high.Value < low.Value)
                {
                    error = $"the range \"{low}-{high}\" in the pattern runs backwards";
                    return false;
                }
            }

            ranges.Add((low.Value, high.Value));
        }

        if (ranges.Count == 0)
        {
            error = $"the \"[]\" at position {open + 1} of the pattern lists no characters";
            return false;
        }

        part = new Part(PartKind.Class, Ranges: [.. ranges], Negate: negate);
        error = "";
        return true;
    }

    private enum PartKind : byte
    {
        Literal,
        AnyOne,
        AnyRun,
        Class,
    }

    private readonly record struct Part(PartKind Kind, int Rune = 0, (int Low, int High)[]? Ranges = null, bool Negate = false)
    {
        public bool Matches(int rune)
        {
            switch (Kind)
            {
                case PartKind.Literal:
                    return rune == Rune;
                case PartKind.AnyOne:
                    return true;
                case PartKind.Class:
                    var inside = false;
                    foreach (var (low, high) in Ranges!)
                    {
                        if (rune >= low && rune <= high)
                        {
                            inside = true;
                            break;
                        }
                    }

                    return inside != Negate;
                default:
                    return false;
            }
        }
    }
}
