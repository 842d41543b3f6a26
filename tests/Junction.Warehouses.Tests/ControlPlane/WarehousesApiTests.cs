using Junction.Testing;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Staging;
using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// The warehouses routes of the Public API against a whole running server: Segment's shapes field by field, the
/// default DuckDB file, secrets encrypted at rest and masked in every answer and in the audit trail, validation errors
/// naming their field, connection tests through the loaders, and the directory the data plane reads.
/// </summary>
public sealed class WarehousesApiTests : IAsyncLifetime
{
    private const string Password = "pg-secret-0123456789";
    private const string Masked = "••••6789";
    private const string PostgresSettings = $$"""{"host":"db.internal","database":"analytics","user":"junction","password":"{{Password}}"}""";
    private readonly FakeWarehouseLoaders _loaders = new();
    private readonly FakeWarehouseSyncs _syncs = new();
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WarehouseApiClient.StartAsync(_loaders, _syncs);
        _api = await _server.CreateApiClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TheCatalogListsDuckDbAndPostgresInSegmentsMetadataShape()
    {
        var page = await _api.GetAsync("catalog/warehouses").DataAsync();
        var kinds = page.GetProperty("warehousesCatalog").EnumerateArray().ToList();
        Assert.Equal(["duckdb", "postgres"], kinds.Select(k => k.GetProperty("slug").GetString()));
        Assert.Equal(2, page.GetProperty("pagination").GetProperty("totalEntries").GetInt32());

        var duck = kinds[0];
        Assert.Equal((WarehouseCatalog.DuckDb.Id, "DuckDB"), (duck.GetProperty("id").GetString(), duck.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(duck.GetProperty("description").GetString()));
        Assert.Equal($"{_server.BaseAddress}catalog/warehouse-logos/duckdb.svg", duck.GetProperty("logos").GetProperty("default").GetString());
        var path = Assert.Single(duck.GetProperty("options").EnumerateArray());
        Assert.Equal(("path", "string", false, "", "Database file"),
            (path.GetProperty("name").GetString(), path.GetProperty("type").GetString(), path.GetProperty("required").GetBoolean(),
             path.GetProperty("defaultValue").GetString(), path.GetProperty("label").GetString()));

        var postgres = (await _api.GetAsync($"catalog/warehouses/{WarehouseCatalog.Postgres.Id}").DataAsync()).GetProperty("warehouseMetadata");
        Assert.Equal(kinds[1].ToString(), postgres.ToString());
        var options = postgres.GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(["host", "port", "database", "user", "password", "sslMode"], options.Keys);
        Assert.Equal(("password", true), (options["password"].GetProperty("type").GetString(), options["password"].GetProperty("required").GetBoolean()));
        Assert.Equal(5432, options["port"].GetProperty("defaultValue").GetInt32());
        Assert.Equal("prefer", options["sslMode"].GetProperty("defaultValue").GetString());
        Assert.Equal(["disable", "prefer", "require", "verify-ca", "verify-full"], options["sslMode"].GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        Assert.False(options["host"].TryGetProperty("defaultValue", out _));

        var missing = await _api.GetAsync("catalog/warehouses/nope").ErrorAsync(404);
        Assert.Equal("not-found", missing.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ADuckDbWarehouseWithEmptySettingsLoadsIntoTheDefaultFileOfTheDataDirectory()
    {
        var created = (await _api.PostJsonAsync("warehouses", $$$"""{"metadataId":"{{{WarehouseCatalog.DuckDb.Id}}}","settings":{}}""").DataAsync(201))
            .GetProperty("warehouse");
        var id = created.GetProperty("id").GetString()!;

        Assert.StartsWith("wh_", id, StringComparison.Ordinal);
        Assert.Equal(await DefaultWorkspaceIdAsync(), created.GetProperty("workspaceId").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal(WarehouseCatalog.DuckDb.Id, created.GetProperty("metadata").GetProperty("id").GetString());
        Assert.Equal("duckdb", created.GetProperty("metadata").GetProperty("slug").GetString());
        Assert.Equal("""{"name":"DuckDB","schemaFrozen":false,"path":""}""", created.GetProperty("settings").GetRawText());
        Assert.Equal(("DuckDB", false, 300), (created.GetProperty("name").GetString(), created.GetProperty("schemaFrozen").GetBoolean(),
            created.GetProperty("syncIntervalSeconds").GetInt32()));

        var read = (await _api.GetAsync($"warehouses/{id}").DataAsync()).GetProperty("warehouse");
        Assert.Equal(created.ToString(), read.ToString());

        var instance = Directory().Find(id)!;
        Assert.Equal(Path.Combine(_server.DataDirectory, "warehouse.duckdb"), instance.Settings["path"]!.GetValue<string>());
        Assert.Equal(("duckdb", "DuckDB", true, false), (instance.Kind, instance.Name, instance.Enabled, instance.SchemaFrozen));
        Assert.Equal(TimeSpan.FromMinutes(5), instance.Schedule.Interval);
        Assert.Null(instance.Schedule.Hours);
        Assert.Empty(instance.Sources);
    }

    [Fact]
    public async Task APostgresPasswordIsEncryptedAtRestAndShownOnlyMasked()
    {
        var created = (await _api.PostJsonAsync("warehouses", $$"""{"metadataId":"postgres","name":"Analytics","settings":{{PostgresSettings}}}""").DataAsync(201))
            .GetProperty("warehouse");
        var id = created.GetProperty("id").GetString()!;
        var settings = created.GetProperty("settings");
        Assert.Equal(("Analytics", "db.internal", 5432, "analytics", "junction", Masked, "prefer"),
            (settings.GetProperty("name").GetString(), settings.GetProperty("host").GetString(), settings.GetProperty("port").GetInt32(),
             settings.GetProperty("database").GetString(), settings.GetProperty("user").GetString(), settings.GetProperty("password").GetString(),
             settings.GetProperty("sslMode").GetString()));

        foreach (var path in new[] { $"warehouses/{id}", "warehouses", "audit-events" })
        {
            var text = (await _api.GetAsync(path).DataAsync()).ToString();
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }

        var stored = await ReadStoredSettingsAsync(id);
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
        Assert.Contains("$protected", stored, StringComparison.Ordinal);

        var instance = Directory().Find(id)!;
        Assert.Equal(Password, instance.Settings["password"]!.GetValue<string>());
        Assert.Equal(5432, instance.Settings["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task APatchThatSendsTheMaskBackKeepsTheStoredPassword()
    {
        var id = await _api.CreateWarehouseAsync("postgres", PostgresSettings);

        var changed = (await _api.PatchJsonAsync($"warehouses/{id}",
            $$$"""{"enabled":false,"settings":{"name":"Renamed","schemaFrozen":true,"password":"{{{Masked}}}","port":6432}}""").DataAsync())
            .GetProperty("warehouse");

        Assert.Equal(("Renamed", false, true, 6432, Masked),
            (changed.GetProperty("name").GetString(), changed.GetProperty("enabled").GetBoolean(), changed.GetProperty("schemaFrozen").GetBoolean(),
             changed.GetProperty("settings").GetProperty("port").GetInt32(), changed.GetProperty("settings").GetProperty("password").GetString()));
        var instance = Directory().Find(id)!;
        Assert.Equal((Password, "Renamed", false, true), (instance.Settings["password"]!.GetValue<string>(), instance.Name, instance.Enabled, instance.SchemaFrozen));
        Assert.Equal(6432, instance.Settings["port"]!.GetValue<int>());

        var topLevel = (await _api.PatchJsonAsync($"warehouses/{id}", """{"name":"Top","schemaFrozen":false,"settings":{"password":"new-password-here"}}""").DataAsync())
            .GetProperty("warehouse");
        Assert.Equal(("Top", false), (topLevel.GetProperty("settings").GetProperty("name").GetString(), topLevel.GetProperty("schemaFrozen").GetBoolean()));
        Assert.Equal("new-password-here", Directory().Find(id)!.Settings["password"]!.GetValue<string>());

        var wrongMask = await _api.PatchJsonAsync($"warehouses/{id}", """{"settings":{"password":"••••zzzz"}}""").ErrorAsync(422);
        Assert.Equal("settings.password", wrongMask.GetProperty("field").GetString());

        var audit = (await _api.GetAsync("audit-events").DataAsync()).ToString();
        Assert.Contains("Warehouse Modified", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("new-password-here", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadataId":"nope","settings":{}}""", "metadataId")]
    [InlineData("""{"settings":{}}""", "metadataId")]
    [InlineData("""{"metadataId":"postgres","settings":{"database":"a","user":"b","password":"c"}}""", "settings.host")]
    [InlineData("""{"metadataId":"postgres","settings":{"host":" ","database":"a","user":"b","password":"c"}}""", "settings.host")]
    [InlineData("""{"metadataId":"postgres","settings":{"host":"h","database":"a","user":"b"}}""", "settings.password")]
    [InlineData("""{"metadataId":"postgres","settings":{"host":"h","port":"5432","database":"a","user":"b","password":"c"}}""", "settings.port")]
    [InlineData("""{"metadataId":"postgres","settings":{"host":"h","port":70000,"database":"a","user":"b","password":"c"}}""", "settings.port")]
    [InlineData("""{"metadataId":"postgres","settings":{"host":"h","database":"a","user":"b","password":"c","sslMode":"always"}}""", "settings.sslMode")]
    [InlineData("""{"metadataId":"duckdb","settings":{"file":"x.duckdb"}}""", "settings.file")]
    [InlineData("""{"metadataId":"duckdb","settings":{"path":7}}""", "settings.path")]
    [InlineData("""{"metadataId":"duckdb","settings":{"schemaFrozen":"yes"}}""", "settings.schemaFrozen")]
    [InlineData("""{"metadataId":"duckdb","name":"  ","settings":{}}""", "name")]
    [InlineData("""{"metadataId":"duckdb","enabled":"yes","settings":{}}""", "enabled")]
    public async Task InvalidInputIsRefusedWith422NamingTheField(string body, string field)
    {
        var error = await _api.PostJsonAsync("warehouses", body).ErrorAsync(422);

        Assert.Equal(("input-validation", field), (error.GetProperty("type").GetString(), error.GetProperty("field").GetString()));
        Assert.Contains(field.Replace("settings.", "", StringComparison.Ordinal), error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _api.GetAsync("warehouses").DataAsync()).GetProperty("warehouses").EnumerateArray());
    }

    [Fact]
    public async Task TwoWarehousesOnTheSameDuckDbFileAreRefusedWithAClearMessage()
    {
        var first = await _api.CreateWarehouseAsync("duckdb", "{}", "First");

        var sameDefault = await _api.PostJsonAsync("warehouses", """{"metadataId":"duckdb","settings":{"path":"warehouse.duckdb"}}""").ErrorAsync(409);
        Assert.Equal("settings.path", sameDefault.GetProperty("field").GetString());
        Assert.Contains($"warehouse \"First\" ({first})", sameDefault.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_server.DataDirectory, "warehouse.duckdb"), sameDefault.GetProperty("message").GetString(), StringComparison.Ordinal);

        var second = await _api.CreateWarehouseAsync("duckdb", """{"path":"second.duckdb"}""");
        Assert.Equal(Path.Combine(_server.DataDirectory, "second.duckdb"), Directory().Find(second)!.Settings["path"]!.GetValue<string>());
        var moved = await _api.PatchJsonAsync($"warehouses/{second}", $$$"""{"settings":{"path":"{{{Path.Combine(_server.DataDirectory, "warehouse.duckdb")}}}"}}""").ErrorAsync(409);
        Assert.Equal("settings.path", moved.GetProperty("field").GetString());

        var (otherWorkspace, _) = await _server.AddOtherWorkspaceAsync();
        var elsewhere = await otherWorkspace.PostJsonAsync("warehouses", """{"metadataId":"duckdb","settings":{}}""").ErrorAsync(409);
        Assert.Contains("another warehouse on this server", elsewhere.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(first, elsewhere.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfWarehousesCreatedAtOnceOnOneDuckDbFileOnlyOneIsCreated()
    {
        for (var round = 0; round < 5; round++)
        {
            var body = $$$"""{"metadataId":"duckdb","settings":{"path":"race-{{{round}}}.duckdb"}}""";
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _api.PostJsonAsync("warehouses", body)));
            try
            {
                Assert.Equal([201, 409, 409, 409], answers.Select(a => (int)a.StatusCode).Order());
            }
            finally
            {
                foreach (var answer in answers)
                {
                    answer.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task ADuckDbPathOnAFileThatIsNotADuckDbDatabaseIsRefused()
    {
        var error = await _api.PostJsonAsync("warehouses", """{"metadataId":"duckdb","settings":{"path":"junction.db"}}""").ErrorAsync(422);

        Assert.Equal("settings.path", error.GetProperty("field").GetString());
        Assert.Contains("not a DuckDB database", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var directory = await _api.PostJsonAsync("warehouses", """{"metadataId":"duckdb","settings":{"path":"keys"}}""").ErrorAsync(422);
        Assert.Contains("is a directory", directory.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheListIsPaginatedOldestFirst()
    {
        var first = await _api.CreateWarehouseAsync("duckdb", """{"path":"a.duckdb"}""");
        var second = await _api.CreateWarehouseAsync("duckdb", """{"path":"b.duckdb"}""");
        var third = await _api.CreateWarehouseAsync("postgres", PostgresSettings);

        var one = await _api.GetAsync("warehouses?pagination[count]=2").DataAsync();
        Assert.Equal([first, second], one.GetProperty("warehouses").EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.Equal(3, one.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        var next = one.GetProperty("pagination").GetProperty("next").GetString();
        var two = await _api.GetAsync($"warehouses?pagination[count]=2&pagination[cursor]={Uri.EscapeDataString(next!)}").DataAsync();
        Assert.Equal([third], two.GetProperty("warehouses").EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.False(two.GetProperty("pagination").TryGetProperty("next", out _));

        var bad = await _api.GetAsync("warehouses?pagination[count]=0").ErrorAsync(422);
        Assert.Equal("pagination.count", bad.GetProperty("field").GetString());
    }

    [Fact]
    public async Task DeletingAWarehouseTakesItsConnectionsAndItsMentionInPermissionsWithIt()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var id = await _api.CreateWarehouseAsync();
        await _api.PostAsync($"warehouses/{id}/connected-sources/{sourceId}", null).DataAsync(201);
        using var reader = await _server.ClientWithWarehouseRoleAsync("warehouse-destination-read-only", [id]);

        var deleted = await _api.DeleteAsync($"warehouses/{id}").DataAsync();

        Assert.Equal("SUCCESS", deleted.GetProperty("status").GetString());
        await _api.GetAsync($"warehouses/{id}").ErrorAsync(404);
        Assert.Null(Directory().Find(id));
        Assert.Empty(Directory().ForSource(sourceId));
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        Assert.Equal(0, await db.WarehouseSources.CountAsync());
        Assert.False(await db.Permissions.AnyAsync(p => p.RoleId == "warehouse-destination-read-only"));
        Assert.Contains("Warehouse Deleted", (await _api.GetAsync("audit-events").DataAsync()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationAndConnectionStateAskTheLoaderAndSayWhatTheWarehouseAnswered()
    {
        var connected = await _api.PostJsonAsync("warehouses/validation", $$"""{"metadataId":"postgres","settings":{{PostgresSettings}}}""").DataAsync();
        Assert.Equal("""{"status":"CONNECTED"}""", connected.GetRawText());
        var (kind, given) = _loaders.Created.Last();
        Assert.Equal(("postgres", Password, 5432), (kind, given["password"]!.GetValue<string>(), given["port"]!.GetValue<int>()));

        _loaders.Check = ConnectionCheck.Failed("password authentication failed for user \"junction\"");
        var failed = await _api.PostJsonAsync("warehouses/validation", $$"""{"metadataId":"postgres","settings":{{PostgresSettings}}}""").DataAsync();
        Assert.Equal(("FAILED", "password authentication failed for user \"junction\""),
            (failed.GetProperty("status").GetString(), failed.GetProperty("problem").GetString()));

        var invalid = await _api.PostJsonAsync("warehouses/validation", """{"metadataId":"postgres","settings":{"host":"h"}}""").ErrorAsync(422);
        Assert.Equal("settings.database", invalid.GetProperty("field").GetString());

        var id = await _api.CreateWarehouseAsync();
        var state = await _api.GetAsync($"warehouses/{id}/connection-state").DataAsync();
        Assert.Equal("FAILED", state.GetProperty("connectionState").GetString());
        Assert.Equal(Path.Combine(_server.DataDirectory, "warehouse.duckdb"), _loaders.Created.Last().Settings["path"]!.GetValue<string>());
        _loaders.Check = ConnectionCheck.Ok;
        Assert.Equal("""{"connectionState":"CONNECTED"}""", (await _api.GetAsync($"warehouses/{id}/connection-state").DataAsync()).GetRawText());
    }

    [Fact]
    public async Task ConnectingASourceShowsOnBothSidesAndGivesTheDataPlaneItsSchema()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("my-web-site");
        var id = await _api.CreateWarehouseAsync();

        var connected = await _api.PostAsync($"warehouses/{id}/connected-sources/{sourceId}", null).DataAsync(201);
        Assert.Equal("""{"status":"CONNECTED"}""", connected.GetRawText());
        await _api.PostAsync($"warehouses/{id}/connected-sources/{sourceId}", null).DataAsync(201);

        var sources = await _api.GetAsync($"warehouses/{id}/connected-sources").DataAsync();
        var source = Assert.Single(sources.GetProperty("sources").EnumerateArray());
        Assert.Equal(("my-web-site", sourceId), (source.GetProperty("slug").GetString(), source.GetProperty("id").GetString()));
        Assert.Equal("javascript", source.GetProperty("metadata").GetProperty("slug").GetString());
        Assert.Equal(1, sources.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        var warehouses = await _api.GetAsync($"sources/{sourceId}/connected-warehouses").DataAsync();
        Assert.Equal(id, Assert.Single(warehouses.GetProperty("warehouses").EnumerateArray()).GetProperty("id").GetString());

        var instance = Assert.Single(Directory().ForSource(sourceId));
        var connection = Assert.Single(instance.Sources);
        Assert.Equal((sourceId, "my_web_site"), (connection.SourceId, connection.SchemaName));
        Assert.Same(SelectiveSync.All, connection.Selection);

        await _api.PatchJsonAsync($"warehouses/{id}", """{"enabled":false}""").DataAsync();
        Assert.Empty(Directory().ForSource(sourceId));
        Assert.Single(Directory().Find(id)!.Sources);

        var disconnected = await _api.DeleteAsync($"warehouses/{id}/connected-sources/{sourceId}").DataAsync();
        Assert.Equal("""{"status":"SUCCESS"}""", disconnected.GetRawText());
        Assert.Empty(Directory().Find(id)!.Sources);
        Assert.Empty((await _api.GetAsync($"sources/{sourceId}/connected-warehouses").DataAsync()).GetProperty("warehouses").EnumerateArray());
        await _api.DeleteAsync($"warehouses/{id}/connected-sources/{sourceId}").ErrorAsync(404);
        await _api.PostAsync($"warehouses/{id}/connected-sources/src_unknown", null).ErrorAsync(404);

        var audit = (await _api.GetAsync("audit-events").DataAsync()).ToString();
        Assert.Contains("Warehouse Source Connected", audit, StringComparison.Ordinal);
        Assert.Contains("Warehouse Source Disconnected", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingASourceDisconnectsItFromItsWarehouses()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var id = await _api.CreateWarehouseAsync();
        await _api.PostAsync($"warehouses/{id}/connected-sources/{sourceId}", null).DataAsync(201);

        await _api.DeleteAsync($"sources/{sourceId}").DataAsync();
        await Directory().RefreshAsync(CancellationToken.None);

        Assert.Empty(Directory().Find(id)!.Sources);
        Assert.Empty((await _api.GetAsync($"warehouses/{id}/connected-sources").DataAsync()).GetProperty("sources").EnumerateArray());
    }

    private WarehouseDirectory Directory() => _server.Services.GetRequiredService<WarehouseDirectory>();

    private async Task<string> DefaultWorkspaceIdAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().Workspaces.OrderBy(w => w.CreatedAt).FirstAsync()).Id;
    }

    /// <summary>The warehouse's settings as the SQLite file holds them, read without Junction's code.</summary>
    private async Task<string> ReadStoredSettingsAsync(string id)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "junction.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT SettingsJson FROM warehouses WHERE Id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
