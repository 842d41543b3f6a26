using System.Diagnostics;
using Junction.Warehouses.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Junction.Warehouses.Loading;

/// <summary>
/// A load into PostgreSQL, in one transaction: each table's rows are sent with binary COPY into a temporary staging
/// table (dropped at commit), then one <c>INSERT … SELECT</c> per table moves the new rows (or upserts them) into the
/// real table, and the discards go to <c>junction_discards</c>. Any error rolls the whole load back.
/// </summary>
/// <remarks>
/// PostgreSQL's <c>text</c> cannot hold the NUL character (<c>\u0000</c>, valid in JSON): it is removed from text values
/// rather than failing the whole load.
/// </remarks>
internal sealed partial class PostgresWarehouseConnection
{
    public async Task<IReadOnlyDictionary<string, long>> LoadAsync(
        string schema, IReadOnlyList<TableLoad> tables, IReadOnlyList<Discard> discards, DateTimeOffset dedupeSince, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            LoadValues.CheckShape(table);
        }

        var started = Stopwatch.GetTimestamp();
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            for (var i = 0; i < tables.Count; i++)
            {
                var table = tables[i];
                var staging = await StageAsync(WarehouseSql.StagingName(i), table, cancellationToken);
                var rows = table.Upsert
                    ? await ExecuteAsync(WarehouseSql.Upsert(Ref(schema), table.Table, staging, table.Columns), cancellationToken)
                    : await ExecuteAsync(
                        WarehouseSql.InsertNew(Ref(schema), table.Table, staging, table.Columns, "$1"),
                        cancellationToken,
                        new NpgsqlParameter<DateTime> { TypedValue = dedupeSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                written[table.Table] = written.GetValueOrDefault(table.Table) + rows;
                await ExecuteAsync($"DROP TABLE {staging}", cancellationToken);
            }

            if (discards.Count > 0)
            {
                var discardsTable = WarehouseSql.Table(Ref(schema), WarehouseSql.DiscardsTable);
                await ExecuteAsync(
                    $"CREATE TABLE IF NOT EXISTS {discardsTable} ({WarehouseSql.ColumnDefinitions(WarehouseSql.DiscardColumns, SqlDialect.Postgres)})",
                    cancellationToken);
                await ExecuteAsync($"CREATE INDEX IF NOT EXISTS \"junction_discards_event_id\" ON {discardsTable} (\"event_id\")", cancellationToken);
                var staging = await StageAsync(WarehouseSql.StagingName(tables.Count), WarehouseSql.DiscardRows(discards, time.GetUtcNow()), cancellationToken);
                await ExecuteAsync(WarehouseSql.InsertDiscards(Ref(schema), staging), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WarehouseException or NpgsqlException or OperationCanceledException)
        {
            await RollBackQuietlyAsync(transaction);
            if (ex is NpgsqlException npgsql)
            {
                throw Failure(npgsql);
            }

            throw;
        }

        LoaderLogs.Loaded(logger, "PostgreSQL", schema, written.Values.Sum(), written.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return written;
    }

    /// <summary>Creates a temporary table for a table's rows and copies them in; answers its qualified name.</summary>
    private async Task<string> StageAsync(string name, TableLoad table, CancellationToken cancellationToken)
    {
        var staging = "pg_temp." + WarehouseSql.Quote(name);
        await ExecuteAsync(
            $"CREATE TEMP TABLE {WarehouseSql.Quote(name)} ({WarehouseSql.ColumnDefinitions(table.Columns, SqlDialect.Postgres)}) ON COMMIT DROP",
            cancellationToken);
        var copy = $"COPY {staging} ({WarehouseSql.ColumnList(table.Columns)}) FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
            // A value that cannot be written leaves the COPY unfinished: disposing the importer cancels it.
            await CopyRowsAsync(importer, table, cancellationToken);
            await importer.CompleteAsync(cancellationToken);
        }

        return staging;
    }

    /// <summary>Writes every row of a table, value by value in the column's own type (no boxing beyond the row's own).</summary>
    private static async Task CopyRowsAsync(NpgsqlBinaryImporter importer, TableLoad table, CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => c.Type).ToArray();
        foreach (var values in table.Rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < types.Length; c++)
            {
                var value = values[c];
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                switch (types[c])
                {
                    case ColumnType.Boolean:
                        await importer.WriteAsync(LoadValues.AsBoolean(value, table, c), NpgsqlDbType.Boolean, cancellationToken);
                        break;
                    case ColumnType.Integer:
                        await importer.WriteAsync(LoadValues.AsInteger(value, table, c), NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    case ColumnType.Float:
                        await importer.WriteAsync(LoadValues.AsFloat(value, table, c), NpgsqlDbType.Double, cancellationToken);
                        break;
                    case ColumnType.Timestamp:
                        await importer.WriteAsync(LoadValues.AsTimestamp(value, table, c), NpgsqlDbType.TimestampTz, cancellationToken);
                        break;
                    default:
                        var text = LoadValues.AsText(value, table, c);
                        await importer.WriteAsync(text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", "", StringComparison.Ordinal) : text, NpgsqlDbType.Text, cancellationToken);
                        break;
                }
            }
        }
    }

    private static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: the server rolled the transaction back itself.
        }
    }
}
