using System.Text.Json;
using Junction.Testing;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Syncing;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// Segment's own TypeScript Public API client manages warehouses on Junction unchanged:
/// tests/fixtures/node/public-api-warehouses.mjs makes the calls and prints what each answered.
/// </summary>
public sealed class WarehousesSdkTests
{
    [Fact]
    public async Task WhenSegmentsTypeScriptClientManagesAWarehouseEveryCallSucceeds()
    {
        var syncs = new FakeWarehouseSyncs();
        await using var server = await WarehouseApiClient.StartAsync(new FakeWarehouseLoaders(), syncs);
        var token = await server.CreateTokenAsync("sdk");
        var (sourceId, _) = await server.CreateSourceAsync("sdk-web");
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

        // The warehouse's id is made by the script, so this sync is kept for whichever warehouse asks.
        syncs.Records.Add(new SyncRecord("sync_sdk", FakeWarehouseSyncs.AnyWarehouse, sourceId, "schedule", start, start.AddSeconds(3), SyncStatus.Success, 7,
            new Dictionary<string, long> { ["tracks"] = 7 }, []));

        var (exitCode, output, error) = await Node.RunAsync("public-api-warehouses.mjs", new Uri(server.BaseAddress, "api").ToString(), token, sourceId);

        Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{error}\n{output}");
        var result = JsonSerializer.Deserialize<JsonElement>(output);
        Assert.Equal(["duckdb", "postgres"], result.GetProperty("catalog").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(WarehouseCatalog.Postgres.Id, result.GetProperty("metadata").GetProperty("id").GetString());
        Assert.Equal("CONNECTED", result.GetProperty("validation").GetProperty("status").GetString());

        var created = result.GetProperty("created");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("SDK probe", "••••6789", true),
            (created.GetProperty("settings").GetProperty("name").GetString(), created.GetProperty("settings").GetProperty("password").GetString(),
             created.GetProperty("enabled").GetBoolean()));
        Assert.Equal([id], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((false, 6432), (result.GetProperty("updated").GetProperty("enabled").GetBoolean(),
            result.GetProperty("updated").GetProperty("settings").GetProperty("port").GetInt32()));
        Assert.Equal("CONNECTED", result.GetProperty("state").GetProperty("connectionState").GetString());
        Assert.Equal("CONNECTED", result.GetProperty("connect").GetProperty("status").GetString());
        Assert.Equal([sourceId], result.GetProperty("connectedSources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([id], result.GetProperty("connectedWarehouses").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal("UPDATED", result.GetProperty("selectiveSync").GetProperty("status").GetString());
        var item = Assert.Single(result.GetProperty("selectiveSyncs").EnumerateArray());
        Assert.Equal(("tracks", sourceId, id), (item.GetProperty("collection").GetString(), item.GetProperty("sourceId").GetString(), item.GetProperty("warehouseId").GetString()));
        Assert.False(item.GetProperty("properties").GetProperty("context_ip").GetBoolean());

        Assert.True(result.GetProperty("schedule").GetProperty("enabled").GetBoolean());
        var schedule = result.GetProperty("scheduleRead").GetProperty("schedule");
        Assert.Equal("Europe/Paris", schedule.GetProperty("timezone").GetString());
        Assert.Equal([3], schedule.GetProperty("times").EnumerateArray().Where(t => t.GetProperty("enabled").GetBoolean()).Select(t => t.GetProperty("hourOfDay").GetInt32()));

        var sync = Assert.Single(result.GetProperty("syncs").EnumerateArray());
        Assert.Equal((sourceId, "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:03.000Z", "SUCCESS", 3, "3s", 7),
            (sync.GetProperty("sourceId").GetString(), sync.GetProperty("start").GetString(), sync.GetProperty("end").GetString(),
             sync.GetProperty("status").GetString(), sync.GetProperty("duration").GetInt32(), sync.GetProperty("humanDuration").GetString(),
             sync.GetProperty("count").GetInt32()));
        Assert.Equal(sync.ToString(), Assert.Single(result.GetProperty("sourceSyncs").EnumerateArray()).ToString());

        var badSettings = result.GetProperty("badSettings");
        Assert.True(badSettings.GetProperty("threw").GetBoolean());
        Assert.Equal("settings.database", badSettings.GetProperty("field").GetString());
        Assert.Equal("SUCCESS", result.GetProperty("disconnect").GetProperty("status").GetString());
        Assert.Equal("SUCCESS", result.GetProperty("deleted").GetProperty("status").GetString());
        Assert.Equal("not-found", result.GetProperty("notFound").GetProperty("type").GetString());
    }
}
