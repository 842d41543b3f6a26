using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// What a warehouse holds for one connected source, for the app's Overview and Preview: the source's tables with their
/// row counts, and the latest rows of one table. Both need read access to the warehouse and to the source. A warehouse
/// that cannot be read now (down, wrong credentials, a DuckDB file another process holds) is an expected answer, a
/// problem with the warehouse's own message, never an exception.
/// </summary>
internal sealed partial class WarehouseService
{
    /// <summary>The most rows a preview shows.</summary>
    public const int MaxPreviewRows = 200;

    /// <summary>The start of the answer when a DuckDB file is held by another process, most often a sync of another Junction.</summary>
    public const string BusyMessage = "The warehouse is busy syncing; try again in a moment.";

    /// <summary>The tables of a connected source's schema in the warehouse, by name, with how many rows each holds (<c>junction_discards</c> included).</summary>
    public async Task<Outcome<IReadOnlyList<TableSummary>>> ListTablesAsync(
        Principal caller, string warehouseId, string sourceId, CancellationToken cancellationToken)
    {
        var (warehouse, schema, problem) = await SourceSchemaAsync(caller, warehouseId, sourceId, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await ReadWarehouseAsync<IReadOnlyList<TableSummary>>(
            warehouse!,
            nothingLoaded: () => new Outcome<IReadOnlyList<TableSummary>>(Array.Empty<TableSummary>(), null),
            async (connection, token) => new Outcome<IReadOnlyList<TableSummary>>(await connection.ListTablesAsync(schema!, token), null),
            cancellationToken);
    }

    /// <summary>
    /// The latest <paramref name="limit"/> rows of one of a connected source's tables (newest <c>received_at</c> first),
    /// every value as text. A table the source's schema does not have is refused, naming the tables it has.
    /// </summary>
    public async Task<Outcome<TablePreview>> PreviewAsync(
        Principal caller, string warehouseId, string sourceId, string table, int limit, CancellationToken cancellationToken)
    {
        var (warehouse, schema, problem) = await SourceSchemaAsync(caller, warehouseId, sourceId, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (limit is < 1 or > MaxPreviewRows)
        {
            return Problem.Invalid($"limit must be a whole number from 1 to {MaxPreviewRows}.", "limit");
        }

        return await ReadWarehouseAsync(
            warehouse!,
            nothingLoaded: () => UnknownTable(schema!, table, []),
            async (connection, token) =>
            {
                // The schema's own tables plus Junction's discards table, which DescribeAsync leaves out.
                var tables = (await connection.DescribeAsync(schema!, token)).Keys.ToList();
                var known = tables.Contains(table, StringComparer.Ordinal)
                    || (table == WarehouseSql.DiscardsTable && (await connection.ListTablesAsync(schema!, token)).Any(t => t.Name == table));
                return known
                    ? new Outcome<TablePreview>(await connection.PreviewAsync(schema!, table, limit, token), null)
                    : UnknownTable(schema!, table, tables);
            },
            cancellationToken);
    }

    /// <summary>
    /// The warehouse and the schema of a source connected to it, after checking read access to both: not found (either
    /// unknown, or another workspace's), forbidden, or not connected.
    /// </summary>
    private async Task<(WarehouseEntity? Warehouse, string? Schema, Problem? Problem)> SourceSchemaAsync(
        Principal caller, string warehouseId, string sourceId, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (WarehouseAccess.CheckSourceData(caller, directory.FindInfo(warehouseId), source) is { } denied)
        {
            return (null, null, denied);
        }

        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        return await IsConnectedAsync(warehouseId, sourceId, cancellationToken)
            ? (warehouse, WarehouseNames.Schema(source!.Slug), null)
            : (null, null, NotConnected(source!, warehouseId));
    }

    /// <summary>
    /// Opens the warehouse for one read, within <see cref="WarehouseTimeoutSeconds"/>, and closes it again (a DuckDB
    /// file is held only for the call). A DuckDB file that does not exist yet holds nothing: the answer is
    /// <paramref name="nothingLoaded"/>, and no empty file is made by merely looking.
    /// </summary>
    private async Task<Outcome<T>> ReadWarehouseAsync<T>(
        WarehouseEntity warehouse,
        Func<Outcome<T>> nothingLoaded,
        Func<IWarehouseConnection, CancellationToken, Task<Outcome<T>>> read,
        CancellationToken cancellationToken)
        where T : class
    {
        if (catalog.FindBySlug(warehouse.Kind) is not { } kind)
        {
            return Unreadable($"This warehouse's kind \"{warehouse.Kind}\" is not in the warehouses catalog, so Junction cannot read it.");
        }

        var resolved = Resolved(kind, warehouse);
        if (kind.Slug == WarehouseCatalog.DuckDbSlug && resolved["path"]?.GetValue<string>() is { } file && !File.Exists(file))
        {
            return nothingLoaded();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(WarehouseTimeoutSeconds));
        try
        {
            await using var connection = await loaders.Create(kind.Slug, resolved).ConnectAsync(timeout.Token);
            return await read(connection, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreadable($"The warehouse did not answer within {WarehouseTimeoutSeconds} seconds. Check that it is running and reachable, then try again.");
        }
        catch (WarehouseException ex) when (ex.Message.Contains("Could not set lock on file", StringComparison.Ordinal))
        {
            LogUnreadable(logger, warehouse.Id, ex.Message);
            return Unreadable($"{BusyMessage} (If it stays busy, another program may hold the file. {ex.Message})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnreadable(logger, warehouse.Id, ex.Message);
            return Unreadable(ex.Message);
        }
    }

    private static Problem UnknownTable(string schema, string table, IReadOnlyCollection<string> tables) =>
        new(ProblemKind.NotFound, tables.Count == 0
            ? $"Table \"{table}\" is not in schema {schema}: nothing has been loaded into it yet."
            : $"Table \"{table}\" is not in schema {schema}; its tables are {string.Join(", ", tables.Order(StringComparer.Ordinal))}.", "table");

    /// <summary>A warehouse that cannot be read now: the warehouse's own words.</summary>
    private static Problem Unreadable(string message) => new(ProblemKind.Conflict, message, "warehouseId");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warehouse {WarehouseId} could not be read for the app: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string warehouseId, string problem);
}
