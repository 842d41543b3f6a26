using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Junction.Warehouses.Tests.Loading;

/// <summary>A fresh database on the tests' PostgreSQL, one per test class.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public Postgres Server { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await Postgres.SharedAsync();
        Name = await Server.CreateDatabaseAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Warehouse settings for this database, as the superuser unless another user is given.</summary>
    public JsonObject Settings(string? user = null, string? password = null, int? port = null, string? database = null) => new()
    {
        ["host"] = Server.Host,
        ["port"] = port ?? Server.Port,
        ["database"] = database ?? Name,
        ["user"] = user ?? Server.User,
        ["password"] = password,
        ["sslMode"] = "disable",
    };
}

/// <summary>The conformance suite on a fresh PostgreSQL database, and what only PostgreSQL does (users and privileges, a server that goes away).</summary>
public sealed class PostgresWarehouseLoaderTests(PostgresDatabase database) : WarehouseLoaderConformance, IClassFixture<PostgresDatabase>
{
    private protected override IWarehouseLoader Loader => Loaders.Create("postgres", database.Settings());

    private protected override string TextIntoIntegerError => "column \"count\" is of type bigint but expression is of type text";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AConnectionTestWithAWrongPasswordFailsWithTheServersMessage()
    {
        var role = await database.Server.CreateLoginRoleAsync("right password");

        var check = await Loaders.Create("postgres", database.Settings(role, "wrong password")).CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.Equal(
            $"PostgreSQL at {database.Server.Host}:{database.Server.Port} refused the user name or password: password authentication failed for user \"{role}\".",
            check.Problem);
    }

    [Fact]
    public async Task AConnectionTestOfAClosedPortFailsSayingTheConnectionWasRefused()
    {
        var port = ClosedPort();

        var check = await Loaders.Create("postgres", database.Settings(port: port)).CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.StartsWith($"Could not connect to 127.0.0.1:{port}: the connection was refused.", check.Problem, StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<WarehouseException>(() => Loaders.Create("postgres", database.Settings(port: port)).ConnectAsync(Token));
        Assert.Equal(check.Problem, failure.Message);
    }

    [Fact]
    public async Task AConnectionTestOfAServerThatNeverAnswersGivesUpAfterFiveSeconds()
    {
        // The kernel accepts connections to a listening socket that nothing reads: PostgreSQL's answer never comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var check = await Loaders.Create("postgres", database.Settings(port: port)).CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.Equal(
            $"No answer from 127.0.0.1:{port} within 5 seconds. Check the host and port, and that a firewall lets Junction reach PostgreSQL.",
            check.Problem);
    }

    [Fact]
    public async Task AConnectionTestOfAnUnknownDatabaseSaysItDoesNotExist()
    {
        var check = await Loaders.Create("postgres", database.Settings(database: "no_such_database")).CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.Equal(
            $"PostgreSQL at {database.Server.Host}:{database.Server.Port} has no such database: database \"no_such_database\" does not exist.",
            check.Problem);
    }

    [Fact]
    public async Task AConnectionTestOfAUserWhoMayNotCreateSchemasFailsWithThePrivilegeAndTheGrant()
    {
        var role = await database.Server.CreateLoginRoleAsync("secret");

        var check = await Loaders.Create("postgres", database.Settings(role, "secret")).CheckAsync(Token);

        Assert.False(check.Connected);
        Assert.Equal(
            $"The user {role} may not create schemas in database {database.Name}; grant it with " +
            $"GRANT CREATE, TEMPORARY ON DATABASE \"{database.Name}\" TO \"{role}\"; (PostgreSQL said: permission denied for database {database.Name})",
            check.Problem);
        Assert.Equal(0L, await database.Server.ScalarAsync<long>(database.Name, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'junction_check_%'"));
    }

    [Fact]
    public async Task AUserGrantedCreateOnTheDatabasePassesTheTestAndLoads()
    {
        var role = await database.Server.CreateLoginRoleAsync("secret");
        await database.Server.ExecuteAsync(database.Name, $"GRANT CREATE ON DATABASE \"{database.Name}\" TO \"{role}\"");
        var loader = Loaders.Create("postgres", database.Settings(role, "secret"));

        Assert.Equal(ConnectionCheck.Ok, await loader.CheckAsync(Token));
        await using var connection = await loader.ConnectAsync(Token);
        LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp)];
        await connection.ApplyAsync([new CreateSchema(Schema), new CreateTable(Schema, "tracks", columns, Upsert: false)], Token);
        var written = await connection.LoadAsync(Schema, [new TableLoad("tracks", false, columns, [["a", T0]])], [], T0, Token);
        Assert.Equal(1, written["tracks"]);
        Assert.Equal(0L, await database.Server.ScalarAsync<long>(database.Name, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'junction_check_%'"));
    }

    [Fact]
    public async Task EventTablesGetAnIndexOnIdAndUpsertTablesAPrimaryKey()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp)];
        SchemaChange[] changes =
        [
            new CreateSchema(Schema),
            new CreateTable(Schema, "tracks", columns, Upsert: false),
            new CreateTable(Schema, "users", columns, Upsert: true),
        ];

        await connection.ApplyAsync(changes, Token);
        await connection.ApplyAsync(changes, Token);

        var indexes = $"SELECT string_agg(indexdef, ' | ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '{Schema}'";
        Assert.Equal(
            $"CREATE INDEX tracks_id_idx ON {Schema}.tracks USING btree (id) | CREATE UNIQUE INDEX users_pkey ON {Schema}.users USING btree (id)",
            await database.Server.ScalarAsync<string>(database.Name, indexes));
    }

    [Fact]
    public async Task TextWithNulCharactersLoadsWithoutThem()
    {
        await using var connection = await Loader.ConnectAsync(Token);
        LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("label", ColumnType.Text)];
        await connection.ApplyAsync([new CreateSchema(Schema), new CreateTable(Schema, "tracks", columns, Upsert: false)], Token);

        await connection.LoadAsync(Schema, [new TableLoad("tracks", false, columns, [["a", T0, "nul\0inside"]])], [], T0, Token);

        Assert.Equal("nulinside", (await connection.PreviewAsync(Schema, "tracks", 1, Token)).Rows[0][2]);
    }

    [Fact]
    public async Task WhilePostgreSQLIsDownConnectingSaysSoAndOnceItIsBackSyncsWorkAgain()
    {
        await using var server = await Postgres.StartPrivateAsync();
        var loaders = new WarehouseLoaders(new FakeTimeProvider(), NullLogger<WarehouseLoaders>.Instance);
        var loader = loaders.Create("postgres", new JsonObject
        {
            ["host"] = server.Host,
            ["port"] = server.Port,
            ["database"] = "postgres",
            ["user"] = server.User,
            ["sslMode"] = "disable",
        });
        await using (var connection = await loader.ConnectAsync(Token))
        {
            await connection.ApplyAsync([new CreateSchema(Schema)], Token);
        }

        await server.StopAsync();
        var failure = await Assert.ThrowsAsync<WarehouseException>(() => loader.ConnectAsync(Token));
        var check = await loader.CheckAsync(Token);
        await server.StartAsync();

        Assert.StartsWith($"Could not connect to {server.Host}:{server.Port}: the connection was refused.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(failure.Message, check.Problem);
        await using (var connection = await loader.ConnectAsync(Token))
        {
            Assert.Empty(await connection.ListTablesAsync(Schema, Token));
        }
    }

    [Fact]
    public async Task SettingsThatCannotWorkAreRefusedWithoutConnecting()
    {
        var noHost = database.Settings();
        noHost.Remove("host");
        var badSsl = database.Settings();
        badSsl["sslMode"] = "sometimes";
        var badPort = database.Settings();
        badPort["port"] = "http";

        Assert.Equal("The PostgreSQL warehouse needs a host.", (await Loaders.Create("postgres", noHost).CheckAsync(Token)).Problem);
        Assert.Equal(
            "The SSL mode sometimes is not one of disable, prefer, require, verify-ca, verify-full.",
            (await Loaders.Create("postgres", badSsl).CheckAsync(Token)).Problem);
        Assert.Equal("The PostgreSQL port \"http\" is not a port number.", (await Loaders.Create("postgres", badPort).CheckAsync(Token)).Problem);
        await Assert.ThrowsAsync<WarehouseException>(() => Loaders.Create("postgres", noHost).ConnectAsync(Token));
    }

    private protected override async Task<IReadOnlyList<string>> ServerReservedWordsAsync()
    {
        await using var connection = new NpgsqlConnection(database.Server.ConnectionString(database.Name));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT word FROM pg_get_keywords() WHERE catcode = 'R'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var words = new List<string>();
        while (await reader.ReadAsync())
        {
            words.Add(reader.GetString(0));
        }

        return words;
    }

    /// <summary>A port on 127.0.0.1 where nothing listens.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
