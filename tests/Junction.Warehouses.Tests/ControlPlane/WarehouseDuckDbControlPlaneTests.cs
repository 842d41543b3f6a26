using Junction.Testing;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Syncing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// The control plane against the real DuckDB loader, with nothing faked but the sync history: settings are tested for
/// real, the connection state is the file's, and a source's tables are read from the DuckDB file itself.
/// </summary>
public sealed class WarehouseDuckDbControlPlaneTests
{
    [Fact]
    public async Task TheDefaultDuckDbFileIsTestedConnectedAndItsTablesListedForSelectiveSync()
    {
        await using var server = await JunctionTestServer.StartAsync(
            configure: builder => builder.Services.AddSingleton<IWarehouseSyncs>(new FakeWarehouseSyncs()));
        using var api = await server.CreateApiClientAsync();
        var (sourceId, _) = await server.CreateSourceAsync("web-app");
        var file = Path.Combine(server.DataDirectory, "warehouse.duckdb");

        var validation = await api.PostJsonAsync("warehouses/validation", """{"metadataId":"duckdb","settings":{}}""").DataAsync();
        Assert.Equal("""{"status":"CONNECTED"}""", validation.GetRawText());

        var warehouseId = await api.CreateWarehouseAsync();
        await api.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).DataAsync(201);
        var before = await api.GetAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}/selective-syncs").DataAsync();
        Assert.Empty(before.GetProperty("items").EnumerateArray());
        Assert.True(before.GetProperty("reachable").GetBoolean());
        Assert.False(File.Exists(file), "Listing the tables of a warehouse that holds nothing yet made its DuckDB file.");

        var instance = server.Services.GetRequiredService<WarehouseDirectory>().Find(warehouseId)!;
        Assert.Equal(file, instance.Settings["path"]!.GetValue<string>());
        await using (var connection = await server.Services.GetRequiredService<IWarehouseLoaders>().Create(instance.Kind, instance.Settings).ConnectAsync(CancellationToken.None))
        {
            LoadColumn[] columns = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), new("event", ColumnType.Text)];
            await connection.ApplyAsync([new CreateSchema("web_app"), new CreateTable("web_app", "tracks", columns, Upsert: false)], CancellationToken.None);
        }

        await api.PatchJsonAsync($"warehouses/{warehouseId}/selective-sync",
            $$"""{"syncOverrides":[{"sourceId":"{{sourceId}}","collection":"tracks","property":"event","enabled":false}]}""").DataAsync();
        var list = await api.GetAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}/selective-syncs").DataAsync();

        Assert.True(list.GetProperty("reachable").GetBoolean());
        var tracks = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("tracks", true), (tracks.GetProperty("collection").GetString(), tracks.GetProperty("enabled").GetBoolean()));
        Assert.Equal("""{"event":false,"id":true,"received_at":true}""", tracks.GetProperty("properties").GetRawText());
        Assert.Equal("""{"connectionState":"CONNECTED"}""", (await api.GetAsync($"warehouses/{warehouseId}/connection-state").DataAsync()).GetRawText());
        Assert.True(File.Exists(file));
    }
}
