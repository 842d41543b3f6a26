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
/// transaction per load; only then does the staging position move. A crash anywhere leaves the position before the
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
            while (position < head)
            {
                var entries = await log.ReadAsync(0, position, _options.LoadSize, TimeSpan.Zero, cancellationToken);
                if (entries.Count == 0)
                {
                    break;
                }

                var plan = Plan(warehouse, source, existing, entries);
                if (plan.Changes.Count > 0)
                {
                    await connection.ApplyAsync(plan.Changes, cancellationToken);
                    existing = await connection.DescribeAsync(source.SchemaName, cancellationToken);
                }

                var written = await connection.LoadAsync(source.SchemaName, plan.Tables, plan.Discards, EarliestReceivedAt(plan) - _options.DedupeLookback, cancellationToken);
                position = entries[^1].Position;
                await log.CommitAsync(StagingLogs.LoaderConsumer, 0, position, cancellationToken);
                foreach (var (table, rows) in written)
                {
                    rowsByTable[table] = rowsByTable.GetValueOrDefault(table) + rows;
                }

                discards += plan.Discards.Count;
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

    /// <summary>Turns staged events into the rows and schema changes of one load.</summary>
    private LoadPlan Plan(WarehouseInstance warehouse, ConnectedSource source, IReadOnlyDictionary<string, TableSchema> existing, IReadOnlyList<LogEntry> entries)
    {
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

        return SchemaPlanner.Plan(source.SchemaName, existing, rows, new PlannerOptions
        {
            SchemaFrozen = warehouse.SchemaFrozen,
            ColumnLimit = _options.ColumnLimit,
            Selection = source.Selection,
            LoadedAt = time.GetUtcNow(),
            IncludeSchemaCreation = existing.Count == 0,
        });
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
