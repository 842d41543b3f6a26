using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Junction.Benchmarks.Payloads;

/// <summary>
/// Request bodies shaped like what Segment's clients send: an analytics.js track event (about 1.2 KB) and an
/// analytics-node batch envelope of track events (about 630 bytes each). The templates are
/// <c>bench/payloads/*.json</c>, shared with the load script; each copy gets its own userId and messageId.
/// </summary>
internal static partial class SamplePayloads
{
    private const string TemplateUser = "bench-user-000000";
    private static readonly string Track = Load("track.json");
    private static readonly string BatchEvent = Load("batch-event.json");

    /// <summary>A browser track event for user <paramref name="user"/>, with or without the client's messageId.</summary>
    public static byte[] TrackEvent(int user, bool withMessageId = true) =>
        Encoding.UTF8.GetBytes(Vary(Track, user, withMessageId));

    /// <summary>A Node.js batch envelope (<c>batch</c>, <c>writeKey</c>, <c>sentAt</c>) holding <paramref name="events"/> events of different users.</summary>
    public static byte[] Batch(int events, int firstUser = 0, bool withMessageIds = true)
    {
        var body = new StringBuilder("{\"batch\":[");
        for (var i = 0; i < events; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(Vary(BatchEvent, firstUser + i, withMessageIds));
        }

        return Encoding.UTF8.GetBytes(body.Append("],\"writeKey\":\"bench-write-key\",\"sentAt\":\"2026-03-14T09:26:51.713Z\"}").ToString());
    }

    private static string Vary(string template, int user, bool withMessageId)
    {
        var id = user.ToString("D6", CultureInfo.InvariantCulture);
        var json = template.Replace(TemplateUser, "bench-user-" + id, StringComparison.Ordinal);
        return withMessageId
            ? MessageIdTail().Replace(json, "${head}" + user.ToString("D12", CultureInfo.InvariantCulture) + "\"", 1)
            : MessageIdProperty().Replace(json, "", 1);
    }

    private static string Load(string name)
    {
        using var stream = typeof(SamplePayloads).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The payload {name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Trim();
    }

    [GeneratedRegex("(?<head>\"messageId\":\"[^\"]*-)[0-9a-f]{12}\"")]
    private static partial Regex MessageIdTail();

    [GeneratedRegex("\"messageId\":\"[^\"]*\",")]
    private static partial Regex MessageIdProperty();
}
