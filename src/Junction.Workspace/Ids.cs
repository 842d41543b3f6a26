using System.Security.Cryptography;

namespace Junction.Workspace;

/// <summary>
/// Resource ids: a short type prefix and 22 random base62 characters (about 131 bits), opaque to callers, like
/// Segment's (<c>src_…</c> here for a source, where Segment has <c>rh5BDZp6QDHvXFCkibm1pR</c>).
/// </summary>
internal static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => prefix + "_" + Random(22);

    /// <summary>A random base62 string, for ids and write keys.</summary>
    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
