using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Junction.Warehouses.Loading;

/// <summary>
/// A PostgreSQL warehouse: settings <c>host</c>, <c>port</c> (5432), <c>database</c>, <c>user</c>, <c>password</c> and
/// <c>sslMode</c> (<c>disable</c>, <c>prefer</c> (the default), <c>require</c>, <c>verify-ca</c>, <c>verify-full</c>).
/// Connections come from one <see cref="NpgsqlDataSource"/> per connection string, kept for the life of the process,
/// so that every loader made for the same settings shares one pool. Connecting gives up after 5 seconds.
/// </summary>
internal sealed class PostgresWarehouseLoader(JsonObject settings, TimeProvider time, ILogger logger) : IWarehouseLoader
{
    /// <summary>Seconds to wait for a connection before saying the server cannot be reached.</summary>
    public const int ConnectTimeoutSeconds = 5;

    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> DataSources = new(StringComparer.Ordinal);

    public async Task<ConnectionCheck> CheckAsync(CancellationToken cancellationToken)
    {
        if (Settings(out var problem) is not { } builder)
        {
            return ConnectionCheck.Failed(problem!);
        }

        try
        {
            await using var connection = await OpenLiveAsync(DataSourceFor(builder), cancellationToken);
            await CheckPrivilegesAsync(connection, builder, cancellationToken);
            return ConnectionCheck.Ok;
        }
        catch (WarehouseException ex)
        {
            return ConnectionCheck.Failed(ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && PostgresErrors.IsConnectionFailure(ex))
        {
            return ConnectionCheck.Failed(PostgresErrors.Explain(ex, builder));
        }
    }

    public async Task<IWarehouseConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = Settings(out var problem) ?? throw new WarehouseException(problem!);
        try
        {
            var connection = await OpenLiveAsync(DataSourceFor(builder), cancellationToken);
            return new PostgresWarehouseConnection(connection, time, logger);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && PostgresErrors.IsConnectionFailure(ex))
        {
            throw new WarehouseException(PostgresErrors.Explain(ex, builder), ex);
        }
    }

    /// <summary>
    /// A connection from the pool that the server still answers on. After PostgreSQL restarts, the pool's idle
    /// connections are dead without knowing it; the first one found so is dropped with all the others, and a new
    /// connection is opened (whose failure, if the server is still down, is the one reported).
    /// </summary>
    private static async Task<NpgsqlConnection> OpenLiveAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
            return connection;
        }
        catch (NpgsqlException) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            dataSource.Clear();
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
    }

    /// <summary>
    /// In a transaction that is rolled back: creates a schema, a table in it, a row, and a temporary table — what every
    /// load does — so that a missing privilege shows now, with what to grant, rather than at the first sync.
    /// </summary>
    private static async Task CheckPrivilegesAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        var schema = WarehouseSql.Quote("junction_check_" + Guid.NewGuid().ToString("N")[..8]);
        var grant = $"GRANT CREATE, TEMPORARY ON DATABASE {WarehouseSql.Quote(builder.Database!)} TO {WarehouseSql.Quote(builder.Username!)};";
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        (string Sql, string Needs)[] steps =
        [
            ($"CREATE SCHEMA {schema}", $"The user {builder.Username} may not create schemas in database {builder.Database}; grant it with {grant}"),
            ($"CREATE TABLE {schema}.\"check\" (\"id\" text)", $"The user {builder.Username} may not create tables in a schema it created"),
            ($"INSERT INTO {schema}.\"check\" VALUES ('check')", $"The user {builder.Username} may not write to a table it created"),
            ("CREATE TEMP TABLE \"junction_check\" (\"id\" text) ON COMMIT DROP", $"The user {builder.Username} may not create temporary tables in database {builder.Database}, which loads use; grant it with {grant}"),
        ];
        foreach (var (sql, needs) in steps)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 10 };
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new WarehouseException($"{needs} (PostgreSQL said: {PostgresErrors.Text(ex)})", ex);
            }
        }

        await transaction.RollbackAsync(cancellationToken);
    }

    /// <summary>The connection string of the settings, or null with the reason they are not usable.</summary>
    private NpgsqlConnectionStringBuilder? Settings(out string? problem)
    {
        problem = null;
        var host = Text("host");
        var database = Text("database");
        var user = Text("user");
        if (host is null || database is null || user is null)
        {
            problem = $"The PostgreSQL warehouse needs a {(host is null ? "host" : database is null ? "database" : "user")}.";
            return null;
        }

        var port = 5432;
        if (settings["port"] is JsonValue portValue
            && !(portValue.TryGetValue<int>(out port) || (portValue.TryGetValue<string>(out var portText) && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))))
        {
            problem = $"The PostgreSQL port {portValue.ToJsonString()} is not a port number.";
            return null;
        }

        if (port is < 1 or > 65535)
        {
            problem = $"The PostgreSQL port {port} is not between 1 and 65535.";
            return null;
        }

        var sslMode = (Text("sslMode") ?? "prefer").ToLowerInvariant() switch
        {
            "disable" => SslMode.Disable,
            "prefer" => SslMode.Prefer,
            "require" => SslMode.Require,
            "verify-ca" => SslMode.VerifyCA,
            "verify-full" => SslMode.VerifyFull,
            _ => (SslMode?)null,
        };
        if (sslMode is null)
        {
            problem = $"The SSL mode {Text("sslMode")} is not one of disable, prefer, require, verify-ca, verify-full.";
            return null;
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Database = database,
            Username = user,
            Password = Text("password"),
            SslMode = sslMode.Value,
            Timeout = ConnectTimeoutSeconds,
            // Loads and widenings of large tables take as long as they take; a sync is stopped by cancelling it.
            CommandTimeout = 0,
            IncludeErrorDetail = true,
            ApplicationName = "Junction",
        };
    }

    private string? Text(string name) =>
        settings[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    private static NpgsqlDataSource DataSourceFor(NpgsqlConnectionStringBuilder builder) =>
        DataSources.GetOrAdd(builder.ConnectionString, static connectionString => NpgsqlDataSource.Create(connectionString));
}
