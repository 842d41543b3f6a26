using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Destinations.Framework;

/// <summary>
/// One event on its way to one destination through one subscription: what the fan-out appends to the destination's
/// queue and the router sends. It carries the mapped payload (computed once, at fan-out) and the normalized event (for
/// the trace, the dead-letter store and classic actions).
/// </summary>
/// <param name="DestinationId">The destination instance.</param>
/// <param name="SubscriptionId">The subscription that mapped it (for a classic destination, its implicit subscription).</param>
/// <param name="ActionId">The action to perform.</param>
/// <param name="SourceId">The source that received the event.</param>
/// <param name="MessageId">The event's messageId, the idempotency key of every re-delivery.</param>
/// <param name="UserKey">userId, else anonymousId (else messageId): one user's events keep their order per destination.</param>
/// <param name="ReceivedAt">When Junction received the event (for end-to-end latency and the retry window).</param>
/// <param name="Payload">The mapped payload.</param>
/// <param name="Event">The normalized event.</param>
internal sealed record DeliveryRecord(
    string DestinationId,
    string SubscriptionId,
    string ActionId,
    string SourceId,
    string MessageId,
    string UserKey,
    DateTimeOffset ReceivedAt,
    JsonObject Payload,
    JsonElement Event)
{
    /// <summary>The queue's idempotency key: a repeated fan-out of the same event through the same subscription is one record.</summary>
    public string IdempotencyKey => SubscriptionId + ":" + MessageId;

    /// <summary>The record as UTF-8 JSON, as stored in a destination's queue.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("destinationId", DestinationId);
            writer.WriteString("subscriptionId", SubscriptionId);
            writer.WriteString("actionId", ActionId);
            writer.WriteString("sourceId", SourceId);
            writer.WriteString("messageId", MessageId);
            writer.WriteString("userKey", UserKey);
            writer.WriteString("receivedAt", ReceivedAt);
            writer.WritePropertyName("payload");
            Payload.WriteTo(writer);
            writer.WritePropertyName("event");
            Event.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a record written by <see cref="Encode"/>, or null when the bytes are not one.</summary>
    public static DeliveryRecord? Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            return new DeliveryRecord(
                root.GetProperty("destinationId").GetString()!,
                root.GetProperty("subscriptionId").GetString()!,
                root.GetProperty("actionId").GetString()!,
                root.GetProperty("sourceId").GetString()!,
                root.GetProperty("messageId").GetString()!,
                root.GetProperty("userKey").GetString()!,
                root.GetProperty("receivedAt").GetDateTimeOffset(),
                JsonNode.Parse(root.GetProperty("payload").GetRawText())!.AsObject(),
                root.GetProperty("event").Clone());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The durable per-destination delivery queues. Each destination has its own queue (an event log under
/// <c>{data}/destinations/{id}/</c>, partitioned by user), so a destination that is slow or failing holds back only
/// its own events and its own disk.
/// </summary>
internal interface IDeliveryQueues
{
    /// <summary>Appends records durably to their destination's queue; one result per record, in order.</summary>
    ValueTask<Junction.EventLog.AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken);
}

/// <summary>What happened to a record, as the router and the fan-out report it to the delivery journal.</summary>
internal enum DeliveryState
{
    /// <summary>Fanned out into the destination's queue.</summary>
    Queued,

    /// <summary>Not fanned out: the integrations object, a filter or no matching subscription kept it from the destination.</summary>
    Filtered,

    /// <summary>The tool took it.</summary>
    Delivered,

    /// <summary>An attempt failed and will be retried.</summary>
    Retrying,

    /// <summary>The tool refused it (a permanent failure) or its payload was invalid; kept in the dead-letter store.</summary>
    Aborted,

    /// <summary>Still failing when its retry window ended; kept in the dead-letter store.</summary>
    Expired,
}

/// <summary>One step in the life of an event at one destination.</summary>
/// <param name="DestinationId">The destination.</param>
/// <param name="SourceId">The source.</param>
/// <param name="MessageId">The event.</param>
/// <param name="SubscriptionId">The subscription (null when filtered before any subscription was chosen).</param>
/// <param name="State">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why it was filtered, retried, aborted or expired, in plain words.</param>
/// <param name="Attempt">For attempts: which one (1 is the first send).</param>
/// <param name="Status">For attempts: the tool's HTTP status (0 for no answer).</param>
/// <param name="ResponseExcerpt">For attempts: the start of the tool's answer.</param>
/// <param name="Latency">For attempts: how long the request took.</param>
/// <param name="Record">For queued, aborted and expired records: the record itself (mapped payload, event), for the trace and a re-send.</param>
internal sealed record DeliveryStep(
    string DestinationId,
    string SourceId,
    string MessageId,
    string? SubscriptionId,
    DeliveryState State,
    DateTimeOffset At,
    string? Reason = null,
    int Attempt = 0,
    int Status = 0,
    string? ResponseExcerpt = null,
    TimeSpan? Latency = null,
    DeliveryRecord? Record = null);

/// <summary>
/// Where the fan-out and the router report every step of every event at every destination: the source of the event
/// trace ("where is my event?"), the Event Delivery metrics and the dead-letter store. Reporting never blocks on I/O.
/// </summary>
internal interface IDeliveryJournal
{
    void Report(DeliveryStep step);
}
