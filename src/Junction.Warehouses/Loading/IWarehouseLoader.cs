using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Loading;

/// <summary>
/// The warehouse seam: one implementation per kind of warehouse (DuckDB, PostgreSQL), all passing one conformance
/// suite. A loader is made for one warehouse's settings; it is cheap and holds no connection itself.
/// </summary>
internal interface IWarehouseLoader
{
    /// <summary>Connects and checks that Junction may create schemas and tables and write to them; never throws for a bad server or bad credentials.</summary>
    Task<ConnectionCheck> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection for a sync or a read. Throws <see cref="WarehouseException"/> with the server's own message when it cannot.</summary>
    Task<IWarehouseConnection> ConnectAsync(CancellationToken cancellationToken);
}

/// <summary>The answer of a connection test: whether it worked and, when not, what the server said and what to do.</summary>
internal sealed record ConnectionCheck(bool Connected, string? Problem)
{
    public static ConnectionCheck Ok { get; } = new(true, null);

    public static ConnectionCheck Failed(string problem) => new(false, problem);
}

/// <summary>An open connection to a warehouse.</summary>
internal interface IWarehouseConnection : IAsyncDisposable
{
    /// <summary>The tables of a schema with their columns and types (empty when the schema does not exist). Junction's own <c>junction_discards</c> table is left out.</summary>
    Task<IReadOnlyDictionary<string, TableSchema>> DescribeAsync(string schema, CancellationToken cancellationToken);

    /// <summary>Applies schema changes in order, each idempotent, outside the load's transaction.</summary>
    Task ApplyAsync(IReadOnlyList<SchemaChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a load in one transaction: event-table rows whose <c>id</c> is not already in the table among rows received
    /// at or after <paramref name="dedupeSince"/> are inserted; upsert-table rows are inserted or update the row with the
    /// same <c>id</c> (non-null values replace, nulls keep); discards go to <c>{schema}.junction_discards</c> (created when
    /// missing), once per event, table and column. Returns the rows inserted or updated per table. Throws
    /// <see cref="WarehouseException"/> (with the SQL error text) after rolling back.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> LoadAsync(
        string schema, IReadOnlyList<TableLoad> tables, IReadOnlyList<Discard> discards, DateTimeOffset dedupeSince, CancellationToken cancellationToken);

    /// <summary>The tables of a schema with their row counts (including <c>junction_discards</c>), by name.</summary>
    Task<IReadOnlyList<TableSummary>> ListTablesAsync(string schema, CancellationToken cancellationToken);

    /// <summary>The latest rows of a table by <c>received_at</c> (newest first), every value as display text.</summary>
    Task<TablePreview> PreviewAsync(string schema, string table, int limit, CancellationToken cancellationToken);
}

/// <summary>A table and how many rows it holds.</summary>
internal sealed record TableSummary(string Name, long Rows);

/// <summary>Some rows of a table for display: column names and, per row, each value as text (null for SQL NULL).</summary>
internal sealed record TablePreview(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows);

/// <summary>A warehouse refused or failed an operation; the message is the server's own text (SQL errors verbatim).</summary>
internal sealed class WarehouseException(string message, Exception? inner = null) : Exception(message, inner);
