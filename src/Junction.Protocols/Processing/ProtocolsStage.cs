using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Ingest.Volume;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;
using Junction.Protocols.Transformations;
using Junction.Protocols.Violations;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.Processing;

/// <summary>
/// Protocols in the processor: for every accepted event, in this order,
/// <list type="number">
/// <item>schema observation of the event as it arrived: counted by its log tag, its properties (or traits) observed on
/// a sample (<see cref="SchemaObserver"/>);</item>
/// <item>the schema view's blocks: a blocked event is dropped (reason <c>event_setting</c>), a blocked property removed;</item>
/// <item>the source-scoped transformations, in their order; one that drops the event drops it (reason <c>transformation</c>);</item>
/// <item>the tracking plan, unless the event was forwarded here by Protocols (a top-level <c>forwardedFromProject</c>,
/// which Segment never blocks again): the check, then the source's schema controls (<see cref="PlanControls"/>), then
/// <c>context.protocols</c> and <c>context.violations</c> attached when there is anything to report.</item>
/// </list>
/// Violations are recorded (<see cref="ViolationRecorder"/>) and forwarded as <c>Violation Generated</c> events when
/// the source says so; blocked events are counted per reason, taken out of the event volume, shown in the debugger as
/// blocked and, when blocked by the tracking plan, forwarded when the source says so (<see cref="ProtocolsForwarder"/>).
/// Events of a source without Protocols configuration and without blocks are counted and, when sampled, read, but
/// never changed: the answer is the very list it was given when nothing changed, and an unchanged event keeps its
/// payload bytes.
/// </summary>
internal sealed partial class ProtocolsStage(
    SchemaObserver observer,
    SchemaFlags flags,
    ViolationRecorder violations,
    ProtocolsForwarder forwarder,
    DebuggerFeed debugger,
    IProtocolsDirectory directory,
    VolumeCounter volume,
    ILogger<ProtocolsStage> logger) : IEventStage
{
    public async ValueTask<IReadOnlyList<LogEntry>> ProcessAsync(IReadOnlyList<LogEntry> accepted, CancellationToken cancellationToken)
    {
        List<LogEntry>? handOn = null;
        List<LogRecord>? forwards = null;
        for (var i = 0; i < accepted.Count; i++)
        {
            var entry = accepted[i];
            var result = Process(entry, ref forwards);
            if (handOn is null && !ReferenceEquals(result, entry))
            {
                handOn = new List<LogEntry>(accepted.Count);
                for (var j = 0; j < i; j++)
                {
                    handOn.Add(accepted[j]);
                }
            }

            if (handOn is not null && result is not null)
            {
                handOn.Add(result);
            }
        }

        if (forwards is { Count: > 0 })
        {
            await forwarder.AppendAsync(forwards, cancellationToken);
        }

        return handOn ?? accepted;
    }

    /// <summary>The entry to hand on (the same one when unchanged), or null when the event is dropped.</summary>
    private LogEntry? Process(LogEntry entry, ref List<LogRecord>? forwards)
    {
        var sourceId = EventTag.SourceOf(entry.IdempotencyKey);
        var tag = entry.Tag;
        if (!EventTag.TryParse(tag, out var type, out var name))
        {
            if (!EventEnvelope.TryRead(entry.Payload.Span, out var envelope))
            {
                return entry;
            }

            (type, name) = (envelope.Type, envelope.Name);
            tag = EventTag.Format(type, name);
        }

        var sample = !ProtocolsForwarder.IsViolationTag(tag) && observer.Count(sourceId, tag, entry.AppendedAt);
        var sourceFlags = flags.ForSource(sourceId);
        var protocols = directory.ForSource(sourceId);
        if (sourceFlags is not null && sourceFlags.IsBlocked(tag))
        {
            // Only a sampled or shown event is parsed: a blocked event costs a lookup otherwise.
            var capture = debugger.ShouldCapture(sourceId, DebuggerStatus.Blocked);
            using var document = sample || capture ? TryParse(entry) : null;
            if (sample && document is not null)
            {
                observer.Observe(sourceId, tag, document.RootElement, entry.AppendedAt);
            }

            Block(entry, sourceId, tag, type, name, BlockReasons.EventSetting, "The event is blocked in the source's schema.", null, document?.RootElement, entry.Payload, capture);
            return null;
        }

        var blockedProperties = sourceFlags?.BlockedPropertiesOf(tag);
        if (protocols is null && blockedProperties is null)
        {
            if (sample && TryParse(entry) is { } document)
            {
                using (document)
                {
                    observer.Observe(sourceId, tag, document.RootElement, entry.AppendedAt);
                }
            }

            return entry;
        }

        using var parsed = TryParse(entry);
        if (parsed is null || parsed.RootElement.ValueKind != JsonValueKind.Object)
        {
            return entry;
        }

        var root = parsed.RootElement;
        if (sample)
        {
            observer.Observe(sourceId, tag, root, entry.AppendedAt);
        }

        JsonObject? node = null;
        var changed = false;
        if (blockedProperties is not null)
        {
            node ??= JsonObject.Create(root)!;
            foreach (var path in blockedProperties)
            {
                if (EventEdits.RemovePath(node, path))
                {
                    changed = true;
                    observer.CountRemoved(sourceId, tag, path);
                }
            }
        }

        if (protocols is { SourceTransformations.Count: > 0 })
        {
            node ??= JsonObject.Create(root)!;
            foreach (var transformation in protocols.SourceTransformations)
            {
                var outcome = transformation.Apply(node);
                if (outcome == TransformOutcome.Dropped)
                {
                    var reason = $"The transformation \"{transformation.Definition.Name}\" drops matching events.";
                    var capture = debugger.ShouldCapture(sourceId, DebuggerStatus.Blocked);
                    Block(entry, sourceId, tag, type, name, BlockReasons.Transformation, reason, null, root, capture ? EventEdits.Serialize(node) : default, capture);
                    return null;
                }

                changed |= outcome == TransformOutcome.Changed;
            }
        }

        if (protocols?.Plan is null || IsForwarded(root))
        {
            return changed ? Rewrite(entry, node!, type) : entry;
        }

        return CheckPlan(entry, sourceId, tag, type, root, node, changed, protocols, ref forwards);
    }

    /// <summary>Step 4: the tracking plan and the schema controls.</summary>
    private LogEntry? CheckPlan(
        LogEntry entry, string sourceId, string tag, EventType type, JsonElement root, JsonObject? node, bool changed, SourceProtocols protocols,
        ref List<LogRecord>? forwards)
    {
        var checkedBytes = changed ? EventEdits.Serialize(node!) : entry.Payload;
        using var changedDocument = changed ? JsonDocument.Parse(checkedBytes) : null;
        var checkedEvent = changedDocument?.RootElement ?? root;
        var check = protocols.Plan!.Check(checkedEvent);
        if (ReferenceEquals(check, PlanCheck.Clean))
        {
            // The usual case, kept free of allocations: nothing to record, block, omit or attach.
            return changed ? entry with { Payload = checkedBytes, Tag = EventTag.Format(type, EventEdits.NameOf(checkedEvent, type)) } : entry;
        }

        var name = EventEdits.NameOf(checkedEvent, type);
        var decision = PlanControls.Decide(type, name, protocols.TrackingPlanName, check, protocols.Settings);
        if (decision.Reported.Count > 0)
        {
            violations.Record(sourceId, type.Name(), name ?? "", decision.Reported, entry.AppendedAt, ProtocolsForwarder.MessageIdOf(entry), checkedBytes);
            if (protocols.Settings.ForwardingViolationsTo is { } violationsTarget)
            {
                (forwards ??= []).AddRange(forwarder.Violations(entry, checkedEvent, sourceId, violationsTarget, protocols, type, name, decision.Reported));
            }
        }

        if (decision.BlockReason is { } reason)
        {
            Block(entry, sourceId, tag, type, name, reason, decision.BlockMessage!, decision.BlockField, checkedEvent, checkedBytes, debugger.ShouldCapture(sourceId, DebuggerStatus.Blocked));
            if (protocols.Settings.ForwardingBlockedEventsTo is { } blockedTarget && BlockReasons.IsForwarded(reason)
                && forwarder.Blocked(entry, root, sourceId, blockedTarget) is { } forward)
            {
                (forwards ??= []).Add(forward);
            }

            return null;
        }

        var omitted = new List<string>();
        var omittedOnViolation = new List<string>();
        if (decision.Container is { } container && (decision.OmitUnplanned.Count > 0 || decision.OmitOnViolation.Count > 0))
        {
            node ??= JsonObject.Create(root)!;
            Omit(node, container, decision.OmitUnplanned, omitted);
            Omit(node, container, decision.OmitOnViolation, omittedOnViolation);
        }

        if (decision.Reported.Count == 0 && omitted.Count == 0 && omittedOnViolation.Count == 0)
        {
            return changed ? entry with { Payload = checkedBytes, Tag = EventTag.Format(type, name) } : entry;
        }

        node ??= JsonObject.Create(root)!;
        EventEdits.AttachReport(node, sourceId, decision.Reported, omitted, omittedOnViolation);
        return Rewrite(entry, node, type);
    }

    private static void Omit(JsonObject node, string container, IReadOnlyList<string> fields, List<string> into)
    {
        foreach (var field in fields)
        {
            if (EventEdits.RemoveChildNamedBy(node, container, field) is { } removed && !into.Contains(removed))
            {
                into.Add(removed);
            }
        }
    }

    /// <summary>Counts a blocked event and, when <paramref name="capture"/> (the debugger's sampling said so), shows it in the source's debugger as blocked with its reason.</summary>
    private void Block(
        LogEntry entry, string sourceId, string tag, EventType type, string? name, string reason, string message, string? field,
        JsonElement? @event, ReadOnlyMemory<byte> current, bool capture)
    {
        observer.CountBlocked(sourceId, tag, reason, entry.AppendedAt);

        // The processor counted the event in the volume under the type and name it arrived with: those of the tag (type
        // and name may be a transformation's by now). Take it back there.
        if (EventTag.TryParse(tag, out var arrivedType, out var arrivedName))
        {
            volume.Withdraw(sourceId, arrivedType, arrivedName, entry.AppendedAt);
        }

        LogBlocked(logger, sourceId, ProtocolsForwarder.MessageIdOf(entry), reason);
        if (capture)
        {
            var root = @event ?? default;
            debugger.Record(
                sourceId, entry.AppendedAt, DebuggerStatus.Blocked, type, name, ProtocolsForwarder.MessageIdOf(entry),
                Text(root, "userId"), Text(root, "anonymousId"), new Rejection(reason, message, field), entry.Payload.Span, current.Span);
        }
    }

    private static LogEntry Rewrite(LogEntry entry, JsonObject node, EventType type)
    {
        var payload = EventEdits.Serialize(node);
        var name = type switch
        {
            EventType.Track => node["event"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null,
            EventType.Page or EventType.Screen => node["name"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null,
            _ => null,
        };
        return entry with { Payload = payload, Tag = EventTag.Format(type, name) };
    }

    private static bool IsForwarded(JsonElement root) =>
        root.TryGetProperty("forwardedFromProject"u8, out var forwarded) && forwarded.ValueKind == JsonValueKind.String;

    private JsonDocument? TryParse(LogEntry entry)
    {
        try
        {
            return JsonDocument.Parse(entry.Payload);
        }
        catch (JsonException)
        {
            LogUnreadable(logger, entry.Partition, entry.Position.Value);
            return null;
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Protocols blocked the event {MessageId} of source {SourceId}: {Reason}.")]
    private static partial void LogBlocked(ILogger logger, string sourceId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Protocols: the event at position {Position} of partition {Partition} is not JSON; it was handed on unchanged.")]
    private static partial void LogUnreadable(ILogger logger, int partition, long position);
}
