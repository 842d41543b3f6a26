using System.Text.Json;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Junction.Events;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.Fanout;

/// <summary>
/// The fan-out: for every accepted event, every enabled destination of its source decides, in Segment's order, whether
/// and how it gets the event — the <c>integrations</c> object, then the destination's filters, then the transformations
/// scoped to that destination (<see cref="IDestinationTransforms"/>), then each subscription's trigger, then its mapping —
/// and what it gets is appended to that destination's durable queue. Events of a source without destinations are not
/// even parsed. Every decision is reported to the <see cref="IDeliveryJournal"/>, so that "where is my event?" always
/// has an answer. Without an <see cref="IDestinationTransforms"/> registered, no transformation applies.
/// </summary>
internal sealed partial class DestinationFanout(
    IDestinationDirectory directory,
    IDeliveryQueues queues,
    IDeliveryJournal journal,
    TimeProvider time,
    ILogger<DestinationFanout> logger,
    IDestinationTransforms? transforms = null) : IEventFanout
{
    public async ValueTask FanOutAsync(IReadOnlyList<LogEntry> accepted, CancellationToken cancellationToken)
    {
        var byDestination = new Dictionary<string, List<DeliveryRecord>>(StringComparer.Ordinal);
        var documents = new List<JsonDocument>();
        try
        {
            foreach (var entry in accepted)
            {
                var sourceId = EventTag.SourceOf(entry.IdempotencyKey);
                var destinations = directory.ForSource(sourceId);
                if (destinations.Count == 0)
                {
                    continue;
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(entry.Payload);
                }
                catch (JsonException)
                {
                    LogUnreadable(logger, entry.Partition, entry.Position.Value);
                    continue;
                }

                documents.Add(document);
                foreach (var destination in destinations)
                {
                    Route(destination, sourceId, entry.AppendedAt, document.RootElement, byDestination, documents);
                }
            }

            foreach (var (destinationId, records) in byDestination)
            {
                await EnqueueAsync(destinationId, records, cancellationToken);
            }
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Decides what one destination gets of one event, adding its records to <paramref name="byDestination"/>.</summary>
    private void Route(
        DestinationInstance destination,
        string sourceId,
        DateTimeOffset receivedAt,
        JsonElement @event,
        Dictionary<string, List<DeliveryRecord>> byDestination,
        List<JsonDocument> documents)
    {
        var messageId = Text(@event, "messageId") ?? "";
        if (!IntegrationsObject.Allows(@event, destination.Definition))
        {
            Filtered(destination, sourceId, messageId, null, DiscardReasons.IntegrationsObject, "The event's integrations object turns this destination off.");
            return;
        }

        var filtered = @event;
        if (destination.Filters.Count > 0)
        {
            var result = destination.Filters.Apply(@event);
            if (result.Drop is { } drop)
            {
                Filtered(destination, sourceId, messageId, null, DiscardReasons.Filters, $"Destination filter \"{drop.FilterTitle ?? drop.FilterId}\": {drop.Message}");
                return;
            }

            var changed = JsonSerializer.SerializeToDocument(result.Event);
            documents.Add(changed);
            filtered = changed.RootElement;
        }

        if (transforms is not null)
        {
            var transformed = transforms.Apply(sourceId, destination.Definition.Id, filtered);
            if (transformed.Outcome == DestinationTransformOutcome.Dropped)
            {
                Filtered(destination, sourceId, messageId, null, DiscardReasons.Filters, transformed.Reason ?? "A transformation scoped to this destination drops the event.");
                return;
            }

            if (transformed.Outcome == DestinationTransformOutcome.Changed)
            {
                filtered = transformed.Event;
            }
        }

        if (destination.Subscriptions.Count == 0)
        {
            Filtered(destination, sourceId, messageId, null, DiscardReasons.NoMapping, "The destination has no enabled mapping.");
            return;
        }

        var userKey = Text(filtered, "userId") ?? Text(filtered, "anonymousId") ?? messageId;
        var type = Text(filtered, "type") ?? "";
        var matched = false;
        foreach (var subscription in destination.Subscriptions)
        {
            if (!Subscribed(subscription, type, filtered))
            {
                continue;
            }

            matched = true;
            System.Text.Json.Nodes.JsonObject payload;
            if (subscription.Mapping is null)
            {
                payload = System.Text.Json.Nodes.JsonNode.Parse(filtered.GetRawText())!.AsObject();
            }
            else if (subscription.Mapping.Evaluate(filtered) is var mapped && mapped.Payload is not null)
            {
                payload = mapped.Payload;
            }
            else
            {
                var failure = mapped.Failure;
                journal.Report(new DeliveryStep(destination.Id, sourceId, messageId, subscription.Id, DeliveryState.Aborted, time.GetUtcNow(),
                    Reason: $"The mapping \"{subscription.Name}\" could not map this event: {failure}", Status: SendResult.InvalidPayloadStatus));
                continue;
            }

            var record = new DeliveryRecord(destination.Id, subscription.Id, subscription.Action.Id, sourceId, messageId, userKey, receivedAt, payload, filtered);
            if (!byDestination.TryGetValue(destination.Id, out var records))
            {
                byDestination[destination.Id] = records = [];
            }

            records.Add(record);
        }

        if (!matched)
        {
            Filtered(destination, sourceId, messageId, null, DiscardReasons.NoMatchingSubscription, "No mapping's trigger matches this event.");
        }
    }

    private static bool Subscribed(CompiledSubscription subscription, string type, JsonElement @event) =>
        subscription.Trigger is { } trigger
            ? trigger.Matches(@event)
            : subscription.Action.ClassicTypes is not { } types || types.Contains(type, StringComparer.Ordinal);

    private async Task EnqueueAsync(string destinationId, List<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        var results = await queues.EnqueueAsync(destinationId, records, cancellationToken);
        var now = time.GetUtcNow();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            switch (results[i].Status)
            {
                case AppendStatus.Stored:
                    journal.Report(new DeliveryStep(destinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Queued, now, Record: record));
                    break;
                case AppendStatus.Duplicate:
                    break;
                case AppendStatus.TooLarge:
                    journal.Report(new DeliveryStep(destinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Aborted, now,
                        Reason: "The mapped event is larger than a destination queue stores.", Status: SendResult.InvalidPayloadStatus));
                    break;
                default:
                    // Not durable: fail the whole read so that the processor keeps its position and tries again.
                    throw new IOException($"The queue of destination {destinationId} could not store an event ({results[i].Status}); the fan-out is retried.");
            }
        }
    }

    private void Filtered(DestinationInstance destination, string sourceId, string messageId, string? subscriptionId, string code, string why) =>
        journal.Report(new DeliveryStep(destination.Id, sourceId, messageId, subscriptionId, DeliveryState.Filtered, time.GetUtcNow(), Reason: code + ": " + why));

    private static string? Text(JsonElement @event, string property) =>
        @event.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Fan-out: the event at position {Position} of partition {Partition} is not JSON; it was not sent to any destination.")]
    private static partial void LogUnreadable(ILogger logger, int partition, long position);
}

/// <summary>The codes of Segment's discard reasons that the fan-out reports, the start of each Filtered step's reason.</summary>
internal static class DiscardReasons
{
    public const string IntegrationsObject = "FILTERED_BY_INTEGRATIONS_OBJECT";
    public const string Filters = "FILTERED_BY_RULES";
    public const string NoMatchingSubscription = "FILTERED_AT_MAPPING";
    public const string NoMapping = "NO_MATCHING_MAPPING";
}
