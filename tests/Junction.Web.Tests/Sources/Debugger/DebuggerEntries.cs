using System.Text;
using Junction.Events;
using Junction.Ingest.Debugger;

namespace Junction.Web.Tests.Sources.Debugger;

/// <summary>Debugger entries as the Tracking API records them, put into a real <see cref="DebuggerFeed"/>.</summary>
internal static class DebuggerEntries
{
    public const string Library = """{"library":{"name":"analytics.js","version":"next-1.84.3"}}""";

    public static DebuggerEntry Track(DebuggerFeed feed, string sourceId, string name, string properties = "{}", string userId = "user-1")
    {
        var raw = $$"""{"type":"track","event":"{{name}}","userId":"{{userId}}","properties":{{properties}},"context":{{Library}},"messageId":"ajs-{{name}}"}""";
        var normalized = $$"""{"type":"track","event":"{{name}}","userId":"{{userId}}","properties":{{properties}},"context":{{Library}},"messageId":"ajs-{{name}}","receivedAt":"2026-01-02T03:04:05.000Z","projectId":"{{sourceId}}"}""";
        return feed.Record(sourceId, DateTimeOffset.UnixEpoch, DebuggerStatus.Accepted, EventType.Track, name, "ajs-" + name, userId, null, null,
            Encoding.UTF8.GetBytes(raw), Encoding.UTF8.GetBytes(normalized));
    }

    public static DebuggerEntry Accepted(DebuggerFeed feed, string sourceId, EventType type, string json, string? name = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return feed.Record(sourceId, DateTimeOffset.UnixEpoch, DebuggerStatus.Accepted, type, name, null, "user-1", null, null, bytes, bytes);
    }

    public static DebuggerEntry RejectedTrack(DebuggerFeed feed, string sourceId)
    {
        var raw = """{"userId":"user-1","properties":{"plan":"pro"}}""";
        return feed.Record(sourceId, DateTimeOffset.UnixEpoch, DebuggerStatus.Rejected, EventType.Track, null, null, "user-1", null,
            Rejection.EventNotDefined, Encoding.UTF8.GetBytes(raw), default);
    }
}
