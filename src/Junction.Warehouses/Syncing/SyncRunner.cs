using System.Text.Json;
using Junction.EventLog;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Staging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Warehouses.Syncing;

/// <summary>
/// One sync of one warehouse: for each connected source, the events staged since the last load are read in loads of
/// <see cref="WarehouseOptions.LoadSize"/>, turned into Segment's tables (<see cref="EventRows"/>), planned against the
/// schema the warehouse has (<see cref="SchemaPlanner"/>: new tables and columns, widening, discards), and written in one
/// transaction per load; only then does the staging position move. The next load is read and mapped while the current
/// one is planned and written. A crash anywhere leaves the position before the
/// load, and loading it again inserts nothing twice: rows are deduplicated on <c>id</c> in the warehouse.
/// </summary>
internal sealed partial class SyncRunner(
    StagingLogs staging,
    IWarehouseLoaders loaders,
    SyncHistory history,
    IOptions<WarehouseOptions> options,
    TimeProvider time,
    ILogger<SyncRunner> logger)
{
    private readonly WarehouseOptions _options = options.Value;

    /// <summary>Whether any connected source of the warehouse has staged events not loaded yet.</summary>
    public async Task<bool> HasStagedAsync(WarehouseInstance warehouse, CancellationToken cancellationToken)
    {
        foreach (var source in warehouse.Sources)
        {
            var log = staging.Open(warehouse.Id, source.SourceId);
            if (await log.GetCommittedAsync(StagingLogs.LoaderConsumer, 0, cancellationToken) < log.GetHead(0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Syncs every connected source of a warehouse, one after the other; true when every source synced without error.</summary>
    public async Task<bool> RunAsync(WarehouseInstance warehouse, string trigger, CancellationToken cancellationToken)
    {
        if (warehouse.Sources.Count == 0)
        {
            return true;
        }

        var start = time.GetUtcNow();
        IWarehouseConnection connection;
        try
        {
            connection = await loaders.Create(warehouse.Kind, warehouse.Settings).ConnectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogConnectFailed(logger, warehouse.Id, ex.Message);
            foreach (var source in warehouse.Sources)
            {
                history.Save(new SyncRecord(NewId(), warehouse.Id, source.SourceId, trigger, start, time.GetUtcNow(), SyncStatus.Failure, 0,
                    new Dictionary<string, long>(), [new SyncNotice("ERROR", $"Could not connect to the warehouse: {ex.Message}", time.GetUtcNow())]));
            }

            return false;
        }

        var succeeded = true;
        await using (connection)
        {
            foreach (var source in warehouse.Sources)
            {
                succeeded &= await SyncSourceAsync(warehouse, source, connection, trigger, cancellationToken);
            }
        }

        return succeeded;
    }

    private async Task<bool> SyncSourceAsync(
        WarehouseInstance warehouse, ConnectedSource source, IWarehouseConnection connection, string trigger, CancellationToken cancellationToken)
    {
        var sync = new SyncRecord(NewId(), warehouse.Id, source.SourceId, trigger, time.GetUtcNow(), null, SyncStatus.Running, 0, new Dictionary<string, long>(), []);
        history.Save(sync);
        var rowsByTable = new Dictionary<string, long>(StringComparer.Ordinal);
        var discards = 0L;
        var notices = new List<SyncNotice>();
        var log = staging.Open(warehouse.Id, source.SourceId);
        try
        {
            var position = await log.GetCommittedAsync(StagingLogs.LoaderConsumer, 0, cancellationToken);
            var head = log.GetHead(0);
            var existing = await connection.DescribeAsync(source.SchemaName, cancellationToken);

            // The next load is read and mapped on another thread while this one is planned and written: mapping does
            // not depend on the warehouse's schema, and the two take about as long as each other.
            var next = ReadAndMapAsync(warehouse, source, log, position, head, cancellationToken);
            try
            {
                while (await next is { } load)
                {
                    next = Task.Run(() => ReadAndMapAsync(warehouse, source, log, load.Last, head, cancellationToken), cancellationToken);
                    var plan = SchemaPlanner.Plan(source.SchemaName, existing, load.Rows, new PlannerOptions
                    {
                        SchemaFrozen = warehouse.SchemaFrozen,
                        ColumnLimit = _options.ColumnLimit,
                        Selection = source.Selection,
                        LoadedAt = time.GetUtcNow(),
                        IncludeSchemaCreation = existing.Count == 0,
                    });
                    if (plan.Changes.Count > 0)
                    {
                        await connection.ApplyAsync(plan.Changes, cancellationToken);
                        existing = await connection.DescribeAsync(source.SchemaName, cancellationToken);
                    }

                    var written = await connection.LoadAsync(source.SchemaName, plan.Tables, plan.Discards, EarliestReceivedAt(plan) - _options.DedupeLookback, cancellationToken);
                    await log.CommitAsync(StagingLogs.LoaderConsumer, 0, load.Last, cancellationToken);
                    foreach (var (table, rows) in written)
                    {
                        rowsByTable[table] = rowsByTable.GetValueOrDefault(table) + rows;
                    }

                    discards += plan.Discards.Count;
                }
            }
            finally
            {
                // After a failed load the next one may still be mapping: the sync ends only once nothing reads the
                // staging any more. Its own failure, if any, is met again by the next sync.
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (discards > 0)
            {
                notices.Add(new SyncNotice("WARNING", $"{discards} value(s) did not fit their column and were kept in {source.SchemaName}.junction_discards instead.", time.GetUtcNow()));
            }

            var total = rowsByTable.Values.Sum();
            history.Save(sync with
            {
                End = time.GetUtcNow(),
                Status = notices.Count == 0 ? SyncStatus.Success : SyncStatus.Partial,
                Rows = total,
                RowsByTable = rowsByTable,
                Notices = notices,
            });
            LogSynced(logger, warehouse.Id, source.SourceId, total);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSyncFailed(logger, warehouse.Id, source.SourceId, ex);
            notices.Add(new SyncNotice("ERROR", ex is WarehouseException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}", time.GetUtcNow()));
            var total = rowsByTable.Values.Sum();
            history.Save(sync with
            {
                End = time.GetUtcNow(),
                Status = total > 0 ? SyncStatus.Partial : SyncStatus.Failure,
                Rows = total,
                RowsByTable = rowsByTable,
                Notices = notices,
            });
            return false;
        }
        catch (OperationCanceledException)
        {
            notices.Add(new SyncNotice("ERROR", "Junction stopped during this sync; what it had not committed is loaded by the next sync.", time.GetUtcNow()));
            history.Save(sync with { End = time.GetUtcNow(), Status = SyncStatus.Failure, Rows = rowsByTable.Values.Sum(), RowsByTable = rowsByTable, Notices = notices });
            throw;
        }
    }

    /// <summary>Reads the staged events after <paramref name="after"/> (one load's worth) and maps them to rows; null when there are none.</summary>
    private async Task<MappedLoad?> ReadAndMapAsync(
        WarehouseInstance warehouse, ConnectedSource source, IEventLog log, LogPosition after, LogPosition head, CancellationToken cancellationToken)
    {
        if (after >= head)
        {
            return null;
        }

        var entries = await log.ReadAsync(0, after, _options.LoadSize, TimeSpan.Zero, cancellationToken);
        if (entries.Count == 0)
        {
            return null;
        }

        var rows = new List<EventRow>(entries.Count * 2);
        foreach (var entry in entries)
        {
            try
            {
                using var document = JsonDocument.Parse(entry.Payload);
                EventRows.Map(document.RootElement, rows);
            }
            catch (JsonException)
            {
                LogUnreadable(logger, warehouse.Id, source.SourceId, entry.Position.Value);
            }
        }

        return new MappedLoad(entries[^1].Position, rows);
    }

    /// <summary>The earliest <c>received_at</c> among the rows of a load (now, when there are none).</summary>
    private DateTimeOffset EarliestReceivedAt(LoadPlan plan)
    {
        var earliest = time.GetUtcNow();
        foreach (var table in plan.Tables)
        {
            var column = -1;
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (table.Columns[i].Name == "received_at")
                {
                    column = i;
                    break;
                }
            }

            if (column < 0)
            {
                continue;
            }

            foreach (var row in table.Rows)
            {
                if (row[column] is DateTimeOffset receivedAt && receivedAt < earliest)
                {
                    earliest = receivedAt;
                }
            }
        }

        return earliest;
    }

    /// <summary>The rows of one load's staged events, and the position of its last event.</summary>
    private sealed record MappedLoad(LogPosition Last, List<EventRow> Rows);

    private static string NewId() => Guid.CreateVersion7().ToString("N");

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced source {SourceId} into warehouse {WarehouseId}: {Rows} rows.")]
    private static partial void LogSynced(ILogger logger, string warehouseId, string sourceId, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to warehouse {WarehouseId}: {Problem}")]
    private static partial void LogConnectFailed(ILogger logger, string warehouseId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync of source {SourceId} into warehouse {WarehouseId} failed; it is retried.")]
    private static partial void LogSyncFailed(ILogger logger, string warehouseId, string sourceId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A staged event of source {SourceId} for warehouse {WarehouseId} at {Position} is not JSON; it is skipped.")]
    private static partial void LogUnreadable(ILogger logger, string warehouseId, string sourceId, long position);
}
