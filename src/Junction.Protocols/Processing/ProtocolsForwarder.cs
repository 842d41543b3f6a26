using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Protocols.Plans;
using Junction.Workspace.Sources;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.Processing;

/// <summary>
/// Forwards what Protocols found to other sources by appending events to the ingest log, as if the target source had
/// received them, so that they are deduped, counted, shown in the target's debugger and sent to its destinations (and
/// can be replayed later):
/// <list type="bullet">
/// <item>a blocked event, as it was stored, with <c>projectId</c> set to the target and <c>forwardedFromProject</c> to
/// the source it came from; idempotency key <c>{target}:{messageId}</c>, the same partition key and tag;</item>
/// <item>each violation as Segment's <c>Violation Generated</c> track event (../shared/reference/segment.md §6.3), with a
/// <c>messageId</c> derived from the event's and the violation's, so that processing the same event again forwards the
/// same ids (and the target's dedupe drops the repeats).</item>
/// </list>
/// A target that is not a source of the same workspace (or is the source itself) gets nothing, with a warning at most
/// once a minute per target.
/// </summary>
internal sealed partial class ProtocolsForwarder(
    IEventLog log,
    DebuggerFeed debugger,
    ISourceLookup sources,
    TimeProvider time,
    ILogger<ProtocolsForwarder> logger)
{
    public const string ViolationEventName = "Violation Generated";
    public const string ViolationsUserId = "schema-violations";
    private static readonly string ViolationTag = EventTag.Format(EventType.Track, ViolationEventName);
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ConcurrentDictionary<string, DateTimeOffset> _warned = new(StringComparer.Ordinal);

    /// <summary>The log tag of forwarded violations, which the schema view of the target does not show (as Segment).</summary>
    public static bool IsViolationTag(string tag) => tag == ViolationTag;

    /// <summary>The record forwarding a blocked event to <paramref name="targetId"/>, or null when the target cannot take it.</summary>
    public LogRecord? Blocked(LogEntry entry, JsonElement @event, string sourceId, string targetId)
    {
        if (Target(sourceId, targetId) is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(entry.Payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in @event.EnumerateObject())
            {
                if (!property.NameEquals("projectId"u8) && !property.NameEquals("forwardedFromProject"u8))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteString("projectId"u8, targetId);
            writer.WriteString("forwardedFromProject"u8, sourceId);
            writer.WriteEndObject();
        }

        var messageId = MessageIdOf(entry);
        return new LogRecord(entry.PartitionKey, targetId + ":" + messageId, buffer.WrittenSpan.ToArray(), entry.Tag);
    }

    /// <summary>One <c>Violation Generated</c> event per violation of an event, for <paramref name="targetId"/>; none when the target cannot take them.</summary>
    public IEnumerable<LogRecord> Violations(
        LogEntry entry, JsonElement @event, string sourceId, string targetId, SourceProtocols protocols, EventType type, string? name, IReadOnlyList<Violation> violations)
    {
        if (Target(sourceId, targetId) is null)
        {
            yield break;
        }

        var source = sources.FindById(sourceId);
        var now = Iso(time.GetUtcNow());
        var eventMessageId = MessageIdOf(entry);
        foreach (var violation in violations)
        {
            var messageId = ViolationMessageId(sourceId, eventMessageId, violation);
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "track"u8);
                writer.WriteString("event"u8, ViolationEventName);
                writer.WriteString("userId"u8, ViolationsUserId);
                writer.WriteStartObject("context"u8);
                writer.WriteNull("app"u8);
                writer.WriteStartObject("library"u8);
                writer.WriteString("name"u8, "junction-protocols"u8);
                writer.WriteString("version"u8, "1.0.0"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteStartObject("properties"u8);
                writer.WriteString("appVersion"u8, Text(@event, "context", "app", "version") ?? "");
                writer.WriteString("eventMessageID"u8, eventMessageId);
                writer.WriteString("eventName"u8, name ?? "");
                writer.WriteString("eventSentAt"u8, Text(@event, "sentAt") ?? "");
                writer.WriteString("eventTimestamp"u8, Text(@event, "timestamp") ?? "");
                writer.WriteString("eventType"u8, type.Name());
                writer.WriteString("sourceID"u8, sourceId);
                writer.WriteString("sourceName"u8, source?.Name ?? source?.Slug ?? "");
                writer.WriteString("sourceSlug"u8, source?.Slug ?? "");
                writer.WriteString("trackingPlanID"u8, protocols.TrackingPlanId ?? "");
                writer.WriteString("trackingPlanName"u8, protocols.TrackingPlanName ?? "");
                writer.WriteString("violationDescription"u8, violation.Description);
                writer.WriteString("violationField"u8, violation.Field);
                writer.WriteString("violationType"u8, violation.Type);
                writer.WriteEndObject();
                writer.WriteString("messageId"u8, messageId);
                writer.WriteString("timestamp"u8, now);
                writer.WriteString("originalTimestamp"u8, now);
                writer.WriteString("receivedAt"u8, now);
                writer.WriteString("channel"u8, "server"u8);
                writer.WriteString("forwardedFromProject"u8, sourceId);
                writer.WriteString("projectId"u8, targetId);
                if (Text(@event, "workspaceId") is { } workspaceId)
                {
                    writer.WriteString("workspaceId"u8, workspaceId);
                }

                writer.WriteEndObject();
            }

            yield return new LogRecord(ViolationsUserId, targetId + ":" + messageId, buffer.WrittenSpan.ToArray(), ViolationTag);
        }
    }

    /// <summary>
    /// Appends forwarded events durably and shows them in their targets' debuggers. Throws when the log cannot store
    /// them now, so that the processor processes the read again; a record too large for the log is skipped with a warning.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        var results = await log.AppendAsync(records, cancellationToken);
        var receivedAt = time.GetUtcNow();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var target = EventTag.SourceOf(record.IdempotencyKey);
            switch (results[i].Status)
            {
                case AppendStatus.Stored:
                    if (debugger.ShouldCapture(target, DebuggerStatus.Accepted) && EventTag.TryParse(record.Tag, out var type, out var name))
                    {
                        var (userId, anonymousId) = Ids(record.Payload.Span);
                        debugger.Record(target, receivedAt, DebuggerStatus.Accepted, type, name, record.IdempotencyKey[(target.Length + 1)..],
                            userId, anonymousId, null, record.Payload.Span, record.Payload.Span);
                    }

                    break;
                case AppendStatus.Duplicate:
                    break;
                case AppendStatus.TooLarge:
                    LogTooLarge(logger, target, record.IdempotencyKey);
                    break;
                default:
                    throw new IOException($"The event log could not store an event forwarded to source {target} ({results[i].Status}); the read is processed again.");
            }
        }
    }

    /// <summary>The messageId in an entry's idempotency key (<c>{sourceId}:{messageId}</c>).</summary>
    public static string MessageIdOf(LogEntry entry)
    {
        var colon = entry.IdempotencyKey.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? entry.IdempotencyKey : entry.IdempotencyKey[(colon + 1)..];
    }

    /// <summary><c>sch-</c> and 32 hex digits of a SHA-256 of the source, the event's messageId and the violation's type and field.</summary>
    public static string ViolationMessageId(string sourceId, string eventMessageId, Violation violation)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sourceId, eventMessageId, violation.Type, violation.Field)));
        return "sch-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private SourceInfo? Target(string sourceId, string targetId)
    {
        var source = sources.FindById(sourceId);
        var target = sources.FindById(targetId);
        if (target is not null && source is not null && target.WorkspaceId == source.WorkspaceId && targetId != sourceId)
        {
            return target;
        }

        var now = time.GetUtcNow();
        if (!_warned.TryGetValue(targetId, out var last) || now - last >= TimeSpan.FromMinutes(1))
        {
            _warned[targetId] = now;
            LogBadTarget(logger, sourceId, targetId);
        }

        return null;
    }

    private static (string? UserId, string? AnonymousId) Ids(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            return (Text(document.RootElement, "userId"), Text(document.RootElement, "anonymousId"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Protocols: source {SourceId} forwards to {TargetId}, which is not another source of its workspace; nothing is forwarded there.")]
    private static partial void LogBadTarget(ILogger logger, string sourceId, string targetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Protocols: the event {IdempotencyKey} forwarded to source {TargetId} is larger than the event log takes; it was not forwarded.")]
    private static partial void LogTooLarge(ILogger logger, string targetId, string idempotencyKey);
}
