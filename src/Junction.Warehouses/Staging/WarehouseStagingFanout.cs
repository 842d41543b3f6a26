using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Staging;

/// <summary>
/// The processor's hand-off to warehouses: every accepted event of a source connected to enabled warehouses is
/// appended, as Junction stored it, to each warehouse's staging log for that source, unless its <c>integrations</c>
/// object keeps it out of warehouses (<see cref="AllowsWarehouse"/>). Returns once every append is durable; an append
/// that is not makes the processor retry the whole read (at-least-once; the load dedupes on <c>id</c>).
/// </summary>
internal sealed partial class WarehouseStagingFanout(
    IWarehouseDirectory directory,
    StagingLogs staging,
    ILogger<WarehouseStagingFanout> logger) : IEventFanout
{
    public async ValueTask FanOutAsync(IReadOnlyList<LogEntry> accepted, CancellationToken cancellationToken)
    {
        Dictionary<(string Warehouse, string Source), List<LogRecord>>? batches = null;
        foreach (var entry in accepted)
        {
            var sourceId = EventTag.SourceOf(entry.IdempotencyKey);
            var warehouses = directory.ForSource(sourceId);
            if (warehouses.Count == 0)
            {
                continue;
            }

            JsonElement integrations = default;
            if (!TryReadIntegrations(entry, ref integrations))
            {
                LogUnreadable(logger, entry.Partition, entry.Position.Value);
                continue;
            }

            foreach (var warehouse in warehouses)
            {
                if (!AllowsWarehouse(integrations, warehouse.Id))
                {
                    continue;
                }

                batches ??= [];
                if (!batches.TryGetValue((warehouse.Id, sourceId), out var records))
                {
                    batches[(warehouse.Id, sourceId)] = records = [];
                }

                records.Add(new LogRecord(sourceId, entry.IdempotencyKey, entry.Payload, entry.Tag));
            }
        }

        if (batches is null)
        {
            return;
        }

        foreach (var ((warehouseId, sourceId), records) in batches)
        {
            var results = await staging.Open(warehouseId, sourceId).AppendAsync(records, cancellationToken);
            foreach (var result in results)
            {
                if (!result.IsDurable)
                {
                    throw new IOException($"The staging of warehouse {warehouseId} could not store an event of source {sourceId} ({result.Status}).");
                }
            }
        }
    }

    /// <summary>
    /// Segment's rule for warehouses in the <c>integrations</c> object: a <c>Warehouses</c> entry decides when present
    /// (<c>false</c> or <c>{"all": false}</c>: none; <c>true</c> or <c>{"all": true}</c>: all;
    /// <c>{"warehouseIds": [...]}</c>: those listed); without one, <c>"All": false</c> keeps the event out too.
    /// </summary>
    public static bool AllowsWarehouse(JsonElement integrations, string warehouseId)
    {
        if (integrations.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        if (integrations.TryGetProperty("Warehouses", out var warehouses))
        {
            switch (warehouses.ValueKind)
            {
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Object when warehouses.TryGetProperty("warehouseIds", out var ids) && ids.ValueKind == JsonValueKind.Array:
                    foreach (var id in ids.EnumerateArray())
                    {
                        if (id.ValueKind == JsonValueKind.String && id.ValueEquals(warehouseId))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonValueKind.Object when warehouses.TryGetProperty("all", out var all):
                    return all.ValueKind != JsonValueKind.False;
                default:
                    return true;
            }
        }

        return !(integrations.TryGetProperty("All", out var everything) && everything.ValueKind == JsonValueKind.False);
    }

    /// <summary>
    /// Finds the event's <c>integrations</c> object (default when absent); false when the payload is not JSON. Only that
    /// value is parsed: the rest of the event is skipped by the reader, without building a document of it.
    /// </summary>
    private static bool TryReadIntegrations(LogEntry entry, ref JsonElement integrations)
    {
        try
        {
            var reader = new Utf8JsonReader(entry.Payload.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals("integrations"u8);
                reader.Read();
                if (found)
                {
                    using var value = JsonDocument.ParseValue(ref reader);
                    integrations = value.RootElement.Clone();
                    return true;
                }

                reader.Skip();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event at {Partition}/{Position} of the ingest log is not JSON; it is not staged for warehouses.")]
    private static partial void LogUnreadable(ILogger logger, int partition, long position);
}
