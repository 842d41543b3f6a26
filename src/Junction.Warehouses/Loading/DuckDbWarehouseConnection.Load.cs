using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Junction.Warehouses.Schema;

namespace Junction.Warehouses.Loading;

/// <summary>
/// A load into DuckDB, in one transaction: each table's rows are appended (DuckDB's appender, column by column
/// without SQL per row) into a temporary staging table, then one <c>INSERT … SELECT</c> per table moves the new rows
/// (or upserts them) into the real table, and the discards go to <c>junction_discards</c>. Any error rolls the whole
/// load back, staging tables included.
/// </summary>
internal sealed partial class DuckDbWarehouseConnection
{
    public async Task<IReadOnlyDictionary<string, long>> LoadAsync(
        string schema, IReadOnlyList<TableLoad> tables, IReadOnlyList<Discard> discards, DateTimeOffset dedupeSince, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            LoadValues.CheckShape(table);
        }

        var started = Stopwatch.GetTimestamp();
        var since = "TIMESTAMPTZ '" + dedupeSince.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'";
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            for (var i = 0; i < tables.Count; i++)
            {
                var table = tables[i];
                var staging = await StageAsync(WarehouseSql.StagingName(i), table, cancellationToken);
                var sql = table.Upsert
                    ? WarehouseSql.Upsert(Ref(schema), table.Table, staging, table.Columns)
                    : WarehouseSql.InsertNew(Ref(schema), table.Table, staging, table.Columns, since);
                var rows = await ExecuteAsync(sql, cancellationToken);
                written[table.Table] = written.GetValueOrDefault(table.Table) + rows;
                await ExecuteAsync($"DROP TABLE {staging}", cancellationToken);
            }

            if (discards.Count > 0)
            {
                await ExecuteAsync(
                    $"CREATE TABLE IF NOT EXISTS {WarehouseSql.Table(Ref(schema), WarehouseSql.DiscardsTable)} ({WarehouseSql.ColumnDefinitions(WarehouseSql.DiscardColumns, SqlDialect.DuckDb)})",
                    cancellationToken);
                var staging = await StageAsync(WarehouseSql.StagingName(tables.Count), WarehouseSql.DiscardRows(discards, time.GetUtcNow()), cancellationToken);
                await ExecuteAsync(WarehouseSql.InsertDiscards(Ref(schema), staging), cancellationToken);
                await ExecuteAsync($"DROP TABLE {staging}", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WarehouseException or DuckDBException or OperationCanceledException)
        {
            await RollBackQuietlyAsync(transaction);
            if (ex is DuckDBException duckDb)
            {
                throw new WarehouseException(duckDb.Message, duckDb);
            }

            throw;
        }

        LoaderLogs.Loaded(logger, "DuckDB", schema, written.Values.Sum(), written.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return written;
    }

    /// <summary>Creates a temporary table for a table's rows and appends them; answers its qualified name.</summary>
    private async Task<string> StageAsync(string name, TableLoad table, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            $"CREATE OR REPLACE TEMP TABLE {WarehouseSql.Quote(name)} ({WarehouseSql.ColumnDefinitions(table.Columns, SqlDialect.DuckDb)})",
            cancellationToken);
        try
        {
            Append(connection, name, table, cancellationToken);
        }
        catch (DuckDBException ex)
        {
            throw new WarehouseException(ex.Message, ex);
        }

        return "temp.main." + WarehouseSql.Quote(name);
    }

    /// <summary>Appends every row of a table, value by value in the column's own type (no boxing beyond the row's own).</summary>
    private static void Append(DuckDBConnection connection, string staging, TableLoad table, CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => c.Type).ToArray();
        using var appender = connection.CreateAppender("temp", "main", staging);
        try
        {
            var rows = table.Rows;
            for (var r = 0; r < rows.Count; r++)
            {
                if ((r & 4095) == 4095)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var values = rows[r];
                var row = appender.CreateRow();
                for (var c = 0; c < types.Length; c++)
                {
                    var value = values[c];
                    if (value is null)
                    {
                        row.AppendNullValue();
                        continue;
                    }

                    switch (types[c])
                    {
                        case ColumnType.Boolean:
                            row.AppendValue((bool?)LoadValues.AsBoolean(value, table, c));
                            break;
                        case ColumnType.Integer:
                            row.AppendValue((long?)LoadValues.AsInteger(value, table, c));
                            break;
                        case ColumnType.Float:
                            row.AppendValue((double?)LoadValues.AsFloat(value, table, c));
                            break;
                        case ColumnType.Timestamp:
                            row.AppendValue((DateTime?)LoadValues.AsTimestamp(value, table, c));
                            break;
                        default:
                            row.AppendValue(LoadValues.AsText(value, table, c));
                            break;
                    }
                }

                row.EndRow();
            }
        }
        catch
        {
            // Drop what is buffered so that disposing the appender does not flush a half-written row.
            appender.Clear();
            throw;
        }
    }

    private static async Task RollBackQuietlyAsync(System.Data.Common.DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidOperationException)
        {
            // Already rolled back by DuckDB after the error.
        }
    }
}
