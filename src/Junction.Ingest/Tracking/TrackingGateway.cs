using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Ingest.Volume;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Ingest.Tracking;

/// <summary>What a Tracking API path asks for.</summary>
/// <param name="Type">The call type for single-event paths; null for batches.</param>
/// <param name="FromBrowserPath">The browser's one-letter paths: their events are browser traffic.</param>
internal readonly record struct TrackingCall(EventType? Type, bool FromBrowserPath)
{
    public bool IsBatch => Type is null;
}

/// <summary>
/// The gateway: write key → source → limits → parse → normalize → durable append → answer. It answers 200 only
/// once every accepted event is in the event log; rejected events are answered (and shown in the debugger) with
/// their reason, and nothing is answered 5xx except "could not store, retry" (503).
/// </summary>
internal sealed partial class TrackingGateway(
    IEventLog log,
    ISourceLookup sources,
    DebuggerFeed debugger,
    VolumeCounter volume,
    SourceRateLimiter rateLimiter,
    Deadlines deadlines,
    TimeProvider time,
    IOptions<TrackingOptions> options,
    ILogger<TrackingGateway> logger)
{
    private static readonly ConcurrentQueue<Buffers> Pool = new();

    /// <summary>
    /// Handles one Tracking API request whose body is <paramref name="body"/>. A client that goes away does not cancel
    /// the append: once started it finishes (or times out after <see cref="TrackingOptions.AppendTimeout"/>).
    /// </summary>
    public async Task<TrackingAnswer> AcceptAsync(
        TrackingCall call, string? authorization, ReadOnlyMemory<byte> body, string? requestIp)
    {
        var receivedAt = time.GetUtcNow();
        var settings = options.Value;
        SourceInfo? source = null;
        switch (WriteKeyAuth.TryRead(authorization, out var headerKey))
        {
            case WriteKeyAuth.Outcome.Malformed:
                return TrackingAnswer.Refused(StatusCodes.Status401Unauthorized, new Rejection(
                    "invalid_authorization",
                    "The Authorization header must be \"Basic base64(writeKey + ':')\"; or leave it out and send \"writeKey\" in the body."));
            case WriteKeyAuth.Outcome.Found:
                source = sources.FindByWriteKey(headerKey);
                if (source is null)
                {
                    return UnknownWriteKey();
                }

                break;
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return RefuseRequest(source, call, receivedAt, body.Span, new Rejection(
                "invalid_json", "The body could not be read as JSON: it is not valid UTF-8 text."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = settings.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            return RefuseRequest(source, call, receivedAt, body.Span, new Rejection("invalid_json", InvalidJsonMessage(ex)));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return RefuseRequest(source, call, receivedAt, body.Span, new Rejection("invalid_body", "The body must be a JSON object."));
            }

            if (source is null)
            {
                var bodyKey = FindBodyWriteKey(root, call);
                if (bodyKey is null)
                {
                    return TrackingAnswer.Refused(StatusCodes.Status401Unauthorized, new Rejection(
                        "write_key_missing",
                        "No write key: send it as the Basic auth user name (\"Authorization: Basic base64(writeKey + ':')\") or as \"writeKey\" in the body.",
                        "writeKey"));
                }

                source = sources.FindByWriteKey(bodyKey);
                if (source is null)
                {
                    return UnknownWriteKey();
                }
            }

            if (!source.Enabled)
            {
                return RefuseRequest(source, call, receivedAt, body.Span, new Rejection(
                    "source_disabled", $"The source \"{source.Name ?? source.Slug}\" is disabled; enable it in its settings to accept events."),
                    StatusCodes.Status403Forbidden);
            }

            return call.IsBatch
                ? await AcceptBatchAsync(call, source, root, body, receivedAt, requestIp)
                : await AcceptSingleAsync(call, source, root, body, receivedAt, requestIp);
        }
    }

    /// <summary>Answers a request whose body could not be read (too large, bad compression).</summary>
    public TrackingAnswer RefuseUnreadable(TrackingCall call, string? authorization, Rejection error)
    {
        var source = WriteKeyAuth.TryRead(authorization, out var key) == WriteKeyAuth.Outcome.Found ? sources.FindByWriteKey(key) : null;
        return RefuseRequest(source, call, time.GetUtcNow(), default, error);
    }

    private async Task<TrackingAnswer> AcceptSingleAsync(
        TrackingCall call, SourceInfo source, JsonElement root, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, string? requestIp)
    {
        if (!rateLimiter.TryAcquire(source.Id, 1, out var retryAfter))
        {
            return RateLimited(source, retryAfter);
        }

        var context = new NormalizationContext
        {
            SourceId = source.Id,
            WorkspaceId = source.WorkspaceId,
            ReceivedAt = receivedAt,
            RequestIp = requestIp,
            FromBrowserPath = call.FromBrowserPath,
        };
        var buffers = Rent();
        try
        {
            var rejection = EventNormalizer.Normalize(root, call.Type, context, buffers.Output, buffers.Writer, out var normalized);
            if (rejection is not null)
            {
                Rejected(source, call.Type, NameOf(root), receivedAt, body.Span, rejection, root);
                return TrackingAnswer.Refused(StatusCodes.Status400BadRequest, rejection);
            }

            var payload = buffers.Output.WrittenMemory.Slice(normalized.Start, normalized.Length);
            var results = await log.AppendAsync([Record(source, normalized, payload)], deadlines.After(options.Value.AppendTimeout));
            if (Unstored(results) is { } failure)
            {
                return failure;
            }

            Accepted(source, receivedAt, normalized, body.Span, payload.Span);
            return TrackingAnswer.Success;
        }
        finally
        {
            Return(buffers);
        }
    }

    private async Task<TrackingAnswer> AcceptBatchAsync(
        TrackingCall call, SourceInfo source, JsonElement root, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, string? requestIp)
    {
        if (!root.TryGetProperty("batch"u8, out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            return RefuseRequest(source, call, receivedAt, body.Span, new Rejection(
                "batch_not_array", "A batch body needs \"batch\": an array of events.", "batch"));
        }

        var batchContext = root.TryGetProperty("context"u8, out var c) ? c : default;
        var batchIntegrations = root.TryGetProperty("integrations"u8, out var i) ? i : default;
        DateTimeOffset? batchSentAt = null;
        foreach (var (value, field) in (ReadOnlySpan<(JsonElement, string)>)[(batchContext, "context"), (batchIntegrations, "integrations")])
        {
            if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
            {
                return RefuseRequest(source, call, receivedAt, body.Span, Rejection.NotObject(field));
            }
        }

        if (root.TryGetProperty("sentAt"u8, out var sentAt) && sentAt.ValueKind != JsonValueKind.Null)
        {
            if (!EventNormalizer.TryParseTime(sentAt, out var parsed))
            {
                return RefuseRequest(source, call, receivedAt, body.Span, Rejection.InvalidTimestamp("sentAt"));
            }

            batchSentAt = parsed;
        }

        var count = batch.GetArrayLength();
        if (!rateLimiter.TryAcquire(source.Id, Math.Max(1, count), out var retryAfter))
        {
            return RateLimited(source, retryAfter);
        }

        var context = new NormalizationContext
        {
            SourceId = source.Id,
            WorkspaceId = source.WorkspaceId,
            ReceivedAt = receivedAt,
            RequestIp = requestIp,
            FromBrowserPath = call.FromBrowserPath,
            BatchContext = batchContext,
            BatchIntegrations = batchIntegrations,
            BatchSentAt = batchSentAt,
        };

        var maxEvents = options.Value.MaxBatchEvents;
        var rejected = new List<RejectedItem>();
        var accepted = new List<(int Index, NormalizedEvent Event)>(count);
        var buffers = Rent();
        try
        {
            var index = 0;
            foreach (var item in batch.EnumerateArray())
            {
                NormalizedEvent normalized = default;
                var rejection = index >= maxEvents
                    ? Rejection.TooManyEvents(maxEvents)
                    : EventNormalizer.Normalize(item, null, context, buffers.Output, buffers.Writer, out normalized);
                if (rejection is null)
                {
                    accepted.Add((index, normalized));
                }
                else
                {
                    var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type"u8, out var t)
                        && EventTypes.TryParse(Text(t), out var parsedType)
                        ? parsedType
                        : (EventType?)null;
                    Rejected(source, type, NameOf(item), receivedAt, JsonMarshal.GetRawUtf8Value(item), rejection, item);
                    rejected.Add(new RejectedItem(index, MessageIdOf(item), rejection.Code, rejection.Message, rejection.Field));
                }

                index++;
            }

            if (count == 0)
            {
                rejected.Add(new RejectedItem(-1, null, "empty_batch", "The batch holds no events.", "batch"));
            }

            if (accepted.Count > 0)
            {
                var written = buffers.Output.WrittenMemory;
                var records = new LogRecord[accepted.Count];
                for (var k = 0; k < accepted.Count; k++)
                {
                    var normalized = accepted[k].Event;
                    records[k] = Record(source, normalized, written.Slice(normalized.Start, normalized.Length));
                }

                var results = await log.AppendAsync(records, deadlines.After(options.Value.AppendTimeout));
                if (Unstored(results) is { } failure)
                {
                    return failure;
                }

                var items = batch.EnumerateArray().ToArray();
                foreach (var (itemIndex, normalized) in accepted)
                {
                    Accepted(source, receivedAt, normalized, JsonMarshal.GetRawUtf8Value(items[itemIndex]),
                        written.Span.Slice(normalized.Start, normalized.Length));
                }
            }

            return TrackingAnswer.Batch(rejected);
        }
        finally
        {
            Return(buffers);
        }
    }

    private static LogRecord Record(SourceInfo source, NormalizedEvent normalized, ReadOnlyMemory<byte> payload) =>
        new(normalized.PartitionKey, source.Id + ":" + normalized.MessageId, payload, EventTag.Format(normalized.Type, normalized.Name));

    /// <summary>The 503 to answer when some record was not stored, or null when all are durable.</summary>
    private TrackingAnswer? Unstored(AppendResult[] results)
    {
        foreach (var result in results)
        {
            if (result.IsDurable)
            {
                continue;
            }

            var full = result.Status == AppendStatus.Full;
            LogNotStored(logger, result.Status);
            return TrackingAnswer.Refused(
                StatusCodes.Status503ServiceUnavailable,
                full
                    ? new Rejection("storage_full", "Junction is out of disk space for new events; nothing was stored. Retry later.")
                    : new Rejection("storage_unavailable", "Junction could not store the events just now; nothing was lost. Retry later."),
                TimeSpan.FromSeconds(options.Value.UnavailableRetryAfterSeconds));
        }

        return null;
    }

    private void Accepted(SourceInfo source, DateTimeOffset receivedAt, NormalizedEvent normalized, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> payload)
    {
        if (debugger.ShouldCapture(source.Id, DebuggerStatus.Accepted))
        {
            debugger.Record(source.Id, receivedAt, DebuggerStatus.Accepted, normalized.Type, normalized.Name, normalized.MessageId,
                normalized.UserId, normalized.AnonymousId, null, raw, payload);
        }
    }

    private void Rejected(
        SourceInfo source, EventType? type, string? name, DateTimeOffset receivedAt, ReadOnlySpan<byte> raw, Rejection reason, JsonElement item)
    {
        volume.Add(source.Id, type, name, receivedAt, VolumeKind.Rejected);
        if (debugger.ShouldCapture(source.Id, DebuggerStatus.Rejected))
        {
            var (userId, anonymousId) = item.ValueKind == JsonValueKind.Object
                ? (TextOf(item, "userId"u8), TextOf(item, "anonymousId"u8))
                : (null, null);
            debugger.Record(source.Id, receivedAt, DebuggerStatus.Rejected, type, name, MessageIdOf(item), userId, anonymousId, reason, raw, default);
        }
    }

    /// <summary>A refusal of the whole request; shown in the debugger when the source is known.</summary>
    private TrackingAnswer RefuseRequest(
        SourceInfo? source, TrackingCall call, DateTimeOffset receivedAt, ReadOnlySpan<byte> body, Rejection reason,
        int status = StatusCodes.Status400BadRequest)
    {
        if (source is not null)
        {
            volume.Add(source.Id, call.Type, null, receivedAt, VolumeKind.Rejected);
            if (debugger.ShouldCapture(source.Id, DebuggerStatus.Rejected))
            {
                debugger.Record(source.Id, receivedAt, DebuggerStatus.Rejected, call.Type, null, null, null, null, reason,
                    body[..Math.Min(body.Length, 64 * 1024)], default);
            }
        }

        return TrackingAnswer.Refused(status, reason);
    }

    private TrackingAnswer RateLimited(SourceInfo source, TimeSpan retryAfter)
    {
        LogRateLimited(logger, source.Id);
        return TrackingAnswer.Refused(
            StatusCodes.Status429TooManyRequests,
            new Rejection("rate_limited", $"The source is over its limit of {options.Value.SourceEventsPerSecond:N0} events a second; retry after the time in Retry-After."),
            retryAfter);
    }

    private static TrackingAnswer UnknownWriteKey() =>
        TrackingAnswer.Refused(StatusCodes.Status401Unauthorized, new Rejection(
            "unknown_write_key", "No source has this write key. Copy the key from the source's Setup page.", "writeKey"));

    private static string? FindBodyWriteKey(JsonElement root, TrackingCall call)
    {
        if (root.TryGetProperty("writeKey"u8, out var key) && key.ValueKind == JsonValueKind.String)
        {
            return key.GetString();
        }

        // Browser batches put the key on every item as well; take the first one found.
        if (call.IsBatch && root.TryGetProperty("batch"u8, out var batch) && batch.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in batch.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("writeKey"u8, out key) && key.ValueKind == JsonValueKind.String)
                {
                    return key.GetString();
                }
            }
        }

        return null;
    }

    private static string? NameOf(JsonElement item) =>
        item.ValueKind != JsonValueKind.Object ? null
        : item.TryGetProperty("event"u8, out var e) && Text(e) is { } eventName ? eventName
        : item.TryGetProperty("name"u8, out var n) ? Text(n)
        : null;

    private static string? MessageIdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object ? TextOf(item, "messageId"u8) : null;

    private static string? TextOf(JsonElement item, ReadOnlySpan<byte> name) =>
        item.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>A string or number as text, for describing a refused event; null for anything else or for text that is not valid Unicode.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string InvalidJsonMessage(JsonException ex)
    {
        var where = ex.BytePositionInLine is { } column && ex.LineNumber is { } line
            ? $" (line {line + 1}, position {column + 1})"
            : "";
        var what = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
            ? "it is nested too deeply"
            : ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                ? "a property name appears twice in one object"
                : ex.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("transcode", StringComparison.OrdinalIgnoreCase)
                    ? "it is not valid UTF-8"
                    : "it is not valid JSON";
        return $"The body could not be read as JSON: {what}{where}.";
    }

    private static Buffers Rent() => Pool.TryDequeue(out var buffers) ? buffers : new Buffers();

    private static void Return(Buffers buffers)
    {
        if (buffers.Output.Capacity <= 1024 * 1024 && Pool.Count < 64)
        {
            buffers.Output.ResetWrittenCount();
            Pool.Enqueue(buffers);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events were not stored ({Status}); the client was answered 503 to retry.")]
    private static partial void LogNotStored(ILogger logger, AppendStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {SourceId} is over its rate limit; answered 429.")]
    private static partial void LogRateLimited(ILogger logger, string sourceId);

    private sealed class Buffers
    {
        public Buffers()
        {
            Output = new ArrayBufferWriter<byte>(16 * 1024);
            Writer = EventNormalizer.CreateWriter(Output);
        }

        public ArrayBufferWriter<byte> Output { get; }

        public Utf8JsonWriter Writer { get; }
    }
}
