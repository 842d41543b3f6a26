using DuckDB.NET.Data;
using Junction.Warehouses.Schema;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Loading;

/// <summary>
/// An open DuckDB database file. Reads the schema from <c>information_schema</c>, applies schema changes one
/// statement at a time, and loads through DuckDB's appender (<see cref="LoadAsync"/>, in the <c>.Load</c> file).
/// Every DuckDB error is thrown as a <see cref="WarehouseException"/> with DuckDB's own message.
/// </summary>
internal sealed partial class DuckDbWarehouseConnection(DuckDBConnection connection, TimeProvider time, ILogger logger) : IWarehouseConnection
{
    private string? _catalog;

    /// <summary>
    /// How much write-ahead log DuckDB lets grow before it writes the tables themselves (a checkpoint). Its default,
    /// 16 MB, is less than one load, so every load's commit was also a checkpoint; with more, a sync's loads commit to
    /// the log and the file is checkpointed when the sync closes it (or when the log reaches this size). The log is as
    /// durable as the file.
    /// </summary>
    private const string CheckpointThreshold = "256MB";

    /// <summary>
    /// Sets the session to UTC, so that any timestamp DuckDB turns into text is in UTC, and lets the write-ahead log
    /// grow to <see cref="CheckpointThreshold"/>; reads the name of the file's catalog, which qualifies every schema
    /// (<see cref="WarehouseSql.SchemaRef"/>).
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync("SET TimeZone = 'UTC'", cancellationToken);
        await ExecuteAsync($"SET checkpoint_threshold = '{CheckpointThreshold}'", cancellationToken);
        await using var command = Command("SELECT current_database()");
        await using var reader = await ReadAsync(command, cancellationToken);
        _catalog = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
    }

    public async Task<IReadOnlyDictionary<string, TableSchema>> DescribeAsync(string schema, CancellationToken cancellationToken)
    {
        var columns = await ReadColumnsAsync(schema, cancellationToken);
        return columns
            .Where(pair => pair.Key != WarehouseSql.DiscardsTable && !WarehouseSql.IsStaging(pair.Key))
            .ToDictionary(pair => pair.Key, pair => new TableSchema(pair.Key, pair.Value), StringComparer.Ordinal);
    }

    public async Task ApplyAsync(IReadOnlyList<SchemaChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            var sql = change switch
            {
                CreateSchema create => $"CREATE SCHEMA IF NOT EXISTS {Ref(create.Schema)}",
                CreateTable create => WarehouseSql.CreateTable(Ref(create.Schema), create, SqlDialect.DuckDb),
                AddColumn add => WarehouseSql.AddColumn(Ref(add.Schema), add, SqlDialect.DuckDb),
                WidenColumn widen => await NeedsWideningAsync(widen, cancellationToken) ? WarehouseSql.WidenColumn(Ref(widen.Schema), widen, SqlDialect.DuckDb) : null,
                _ => throw new ArgumentException($"Unknown schema change {change.GetType().Name}.", nameof(changes)),
            };
            if (sql is not null)
            {
                await ExecuteAsync(sql, cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<TableSummary>> ListTablesAsync(string schema, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = Command(WarehouseSql.TablesOfSchema, schema))
        {
            await using var reader = await ReadAsync(command, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (!WarehouseSql.IsStaging(name))
                {
                    tables.Add(name);
                }
            }
        }

        var counts = await CountAsync(schema, tables, cancellationToken);
        return [.. tables.Select((name, i) => new TableSummary(name, counts[i])).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    public async Task<TablePreview> PreviewAsync(string schema, string table, int limit, CancellationToken cancellationToken)
    {
        var columns = await ReadColumnsAsync(schema, cancellationToken);
        if (!columns.TryGetValue(table, out var ofTable))
        {
            throw new WarehouseException($"Table {schema}.{table} does not exist.");
        }

        await using var command = Command(WarehouseSql.Preview(Ref(schema), table, ofTable.ContainsKey(WarehouseColumns.ReceivedAt), limit));
        await using var reader = await ReadAsync(command, cancellationToken);
        return await LoadValues.ReadPreviewAsync(reader, cancellationToken);
    }

    /// <summary>Creates a schema, a table and a row in a transaction that is rolled back: proves the file is writable.</summary>
    public async Task CheckWritesAsync(CancellationToken cancellationToken)
    {
        var schema = WarehouseSql.Quote("junction_check_" + Guid.NewGuid().ToString("N")[..8]);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync($"CREATE SCHEMA {schema}", cancellationToken);
        await ExecuteAsync($"CREATE TABLE {schema}.\"check\" (\"id\" VARCHAR)", cancellationToken);
        await ExecuteAsync($"INSERT INTO {schema}.\"check\" VALUES ('check')", cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();

    /// <summary>The columns of every table of a schema (staging and discards included), in table order.</summary>
    private async Task<Dictionary<string, Dictionary<string, ColumnType>>> ReadColumnsAsync(string schema, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, Dictionary<string, ColumnType>>(StringComparer.Ordinal);
        await using var command = Command(WarehouseSql.ColumnsOfSchema, schema);
        await using var reader = await ReadAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
            }

            columns[reader.GetString(1)] = WarehouseSql.TypeOf(reader.GetString(2));
        }

        return tables;
    }

    private async Task<bool> NeedsWideningAsync(WidenColumn widen, CancellationToken cancellationToken)
    {
        var columns = await ReadColumnsAsync(widen.Schema, cancellationToken);
        return columns.TryGetValue(widen.Table, out var table)
            && table.TryGetValue(widen.Column, out var current)
            && !WarehouseSql.Covers(current, widen.To);
    }

    private async Task<long[]> CountAsync(string schema, List<string> tables, CancellationToken cancellationToken)
    {
        var counts = new long[tables.Count];
        if (tables.Count == 0)
        {
            return counts;
        }

        await using var command = Command(WarehouseSql.CountRows(Ref(schema), tables));
        await using var reader = await ReadAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private DuckDBCommand Command(string sql, string? parameter = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.Add(new DuckDBParameter(parameter));
        }

        return command;
    }

    private async Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DuckDBException ex)
        {
            throw new WarehouseException(ex.Message, ex);
        }
    }

    private static async Task<System.Data.Common.DbDataReader> ReadAsync(DuckDBCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (DuckDBException ex)
        {
            throw new WarehouseException(ex.Message, ex);
        }
    }

    /// <summary>A schema as SQL, qualified with the file's catalog.</summary>
    private string Ref(string schema) => WarehouseSql.SchemaRef(_catalog, schema);
}
