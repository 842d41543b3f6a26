using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Junction.Fql;

/// <summary>
/// Deterministic sampling: the seed value is hashed with XxHash64 and the hash, read as a fraction of the
/// 64-bit range, is compared with the share to keep. The same seed therefore always gets the same answer, and
/// two filters sampling on the same field keep nested sets of events (all kept at 10% are kept at 30%).
/// </summary>
internal static class DestinationFilterSampler
{
    /// <summary>
    /// Whether to keep the event. The seed is the value at <paramref name="path"/> when it is given and present,
    /// otherwise the event's <c>messageId</c>, otherwise the whole event.
    /// </summary>
    public static bool Keeps(JsonElement @event, FqlPath? path, double percent)
    {
        if (percent >= 1)
        {
            return true;
        }

        if (percent <= 0)
        {
            return false;
        }

        JsonElement seed;
        if (path is null || !path.TryResolve(@event, out seed) || seed.ValueKind == JsonValueKind.Null)
        {
            if (!@event.TryGetProperty("messageId"u8, out seed))
            {
                seed = @event;
            }
        }

        return Fraction(seed) < percent;
    }

    /// <summary>Maps a seed to a number in [0, 1) that is stable across processes and versions.</summary>
    internal static double Fraction(JsonElement seed)
    {
        var hash = XxHash64.HashToUInt64(SeedBytes(seed));
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    // A string seeds with its text, so "u1" and the escaped "\u0075\u0031" sample alike; any other value seeds
    // with its JSON.
    private static ReadOnlySpan<byte> SeedBytes(JsonElement seed)
    {
        var raw = JsonMarshal.GetRawUtf8Value(seed);
        if (seed.ValueKind != JsonValueKind.String)
        {
            return raw;
        }

        var inner = raw[1..^1];
        if (!inner.Contains((byte)'\\'))
        {
            return inner;
        }

        try
        {
            return Encoding.UTF8.GetBytes(seed.GetString()!);
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot become text; its JSON still seeds deterministically.
            return inner;
        }
    }
}
