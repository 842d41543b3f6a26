using Junction.Warehouses.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Junction.Warehouses.Loading;

/// <summary>
/// An open connection to a PostgreSQL warehouse (from its data source's pool). Reads the schema from
/// <c>information_schema</c>, applies schema changes one statement at a time (skipping what already exists, so that a
/// user who owns the tables but may no longer create schemas can still load), and loads with binary COPY
/// (<see cref="LoadAsync"/>, in the <c>.Load</c> file). PostgreSQL's errors are thrown as
/// <see cref="WarehouseException"/> with the server's message and detail.
/// </summary>
internal sealed partial class PostgresWarehouseConnection(NpgsqlConnection connection, TimeProvider time, ILogger logger) : IWarehouseConnection
{
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
            switch (change)
            {
                case CreateSchema create:
                    if (!await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", create.Schema, cancellationToken))
                    {
                        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Ref(create.Schema)}", cancellationToken);
                    }

                    break;
                case CreateTable create:
                    await CreateTableAsync(create, cancellationToken);
                    break;
                case AddColumn add:
                    await ExecuteAsync(WarehouseSql.AddColumn(Ref(add.Schema), add, SqlDialect.Postgres), cancellationToken);
                    break;
                case WidenColumn widen:
                    var columns = await ReadColumnsAsync(widen.Schema, cancellationToken);
                    if (columns.TryGetValue(widen.Table, out var table) && table.TryGetValue(widen.Column, out var current) && !WarehouseSql.Covers(current, widen.To))
                    {
                        await ExecuteAsync(WarehouseSql.WidenColumn(Ref(widen.Schema), widen, SqlDialect.Postgres), cancellationToken);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown schema change {change.GetType().Name}.", nameof(changes));
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

        var counts = new long[tables.Count];
        if (tables.Count > 0)
        {
            await using var command = Command(WarehouseSql.CountRows(Ref(schema), tables));
            await using var reader = await ReadAsync(command, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

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

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    /// <summary>A schema as SQL: PostgreSQL resolves <c>schema.table</c> in the connection's database.</summary>
    private static string Ref(string schema) => WarehouseSql.SchemaRef(null, schema);

    /// <summary>
    /// Creates a table when missing. An event table gets an index on <c>id</c> (each load looks its ids up); an upsert
    /// table has <c>id</c> as its primary key.
    /// </summary>
    private async Task CreateTableAsync(CreateTable create, CancellationToken cancellationToken)
    {
        var name = WarehouseSql.Table(Ref(create.Schema), create.Table);
        if (await ScalarAsync<string?>("SELECT to_regclass($1)::text", name, cancellationToken) is null)
        {
            await ExecuteAsync(WarehouseSql.CreateTable(Ref(create.Schema), create, SqlDialect.Postgres), cancellationToken);
        }

        if (!create.Upsert)
        {
            const string HasIdIndex =
                "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] " +
                "WHERE i.indrelid = to_regclass($1) AND a.attname = 'id')";
            if (!await ScalarAsync<bool>(HasIdIndex, name, cancellationToken))
            {
                await ExecuteAsync($"CREATE INDEX ON {name} ({WarehouseSql.Quote(WarehouseColumns.Id)})", cancellationToken);
            }
        }
    }

    /// <summary>The columns of every table of a schema (discards included), in table order.</summary>
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

    private NpgsqlCommand Command(string sql, string? parameter = null)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, NpgsqlParameter? parameter = null)
    {
        await using var command = Command(sql);
        if (parameter is not null)
        {
            command.Parameters.Add(parameter);
        }

        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw Failure(ex);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql, string parameter, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameter);
        try
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is DBNull ? default! : (T)value!;
        }
        catch (NpgsqlException ex)
        {
            throw Failure(ex);
        }
    }

    private static async Task<NpgsqlDataReader> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw Failure(ex);
        }
    }

    /// <summary>The server's message (and detail) for an SQL error; the exception's messages for a broken connection.</summary>
    private static WarehouseException Failure(NpgsqlException ex) =>
        new(ex is PostgresException postgres ? PostgresErrors.Text(postgres) : PostgresErrors.Messages(ex), ex);
}
