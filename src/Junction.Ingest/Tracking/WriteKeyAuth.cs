using System.Buffers;
using System.Text;

namespace Junction.Ingest.Tracking;

/// <summary>Reads the write key from <c>Authorization: Basic base64("writeKey:")</c>.</summary>
internal static class WriteKeyAuth
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    internal enum Outcome
    {
        /// <summary>No Authorization header, or a Bearer token (OAuth): the key must be in the body.</summary>
        Absent,
        Found,
        Malformed,
    }

    public static Outcome TryRead(string? header, out string writeKey)
    {
        writeKey = "";
        if (string.IsNullOrWhiteSpace(header) || header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Absent;
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Malformed;
        }

        var encoded = header.AsSpan(6).Trim();
        var buffer = ArrayPool<byte>.Shared.Rent(((encoded.Length + 3) / 4 * 3) + 3);
        try
        {
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
            {
                return Outcome.Malformed;
            }

            string decoded;
            try
            {
                decoded = StrictUtf8.GetString(buffer, 0, written);
            }
            catch (DecoderFallbackException)
            {
                return Outcome.Malformed;
            }

            // "key:" is the documented form; a bare "key" is still accepted, as Segment does for old clients.
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            writeKey = colon >= 0 ? decoded[..colon] : decoded;
            return writeKey.Length == 0 ? Outcome.Malformed : Outcome.Found;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
