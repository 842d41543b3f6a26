using Junction.Testing;
using Junction.Workspace.Access;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// Who may do what with a warehouse, as a table: reading needs Warehouse Destination Read-only (or Admin) on it,
/// changing needs Warehouse Destination Admin on it, creating needs Admin on all warehouses, connecting a source needs
/// Admin on the warehouse and Source Admin on the source, a Workspace Owner may do everything, and another workspace's
/// token is told the warehouse does not exist.
/// </summary>
public sealed class WarehouseAccessTests
{
    [Fact]
    public async Task EachCallerMayDoExactlyWhatItsRoleOnTheWarehouseAllows()
    {
        await using var server = await WarehouseApiClient.StartAsync(new FakeWarehouseLoaders(), new FakeWarehouseSyncs());
        using var owner = await server.CreateApiClientAsync();
        var (sourceId, _) = await server.CreateSourceAsync("web");
        var warehouseId = await owner.CreateWarehouseAsync();
        var otherWarehouseId = await owner.CreateWarehouseAsync("duckdb", """{"path":"other.duckdb"}""");
        await owner.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).DataAsync(201);
        var (otherWorkspace, _) = await server.AddOtherWorkspaceAsync();

        var callers = new (string Name, HttpClient Client, int Read, int Change)[]
        {
            ("workspace owner", owner, 200, 200),
            ("warehouse admin on this warehouse", await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin", [warehouseId]), 200, 200),
            ("warehouse read-only on this warehouse", await server.ClientWithWarehouseRoleAsync("warehouse-destination-read-only", [warehouseId]), 200, 403),
            ("warehouse read-only on all warehouses", await server.ClientWithWarehouseRoleAsync("warehouse-destination-read-only"), 200, 403),
            ("warehouse admin on another warehouse", await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin", [otherWarehouseId]), 403, 403),
            ("source admin on all sources", await server.CreateApiClientWithRoleAsync("source-admin"), 403, 403),
            ("member without roles", await server.CreateApiClientWithRoleAsync(Roles.WorkspaceMemberId), 403, 403),
            ("another workspace's owner", otherWorkspace, 404, 404),
        };

        var failures = new List<string>();
        foreach (var (name, client, read, change) in callers)
        {
            var reads = new[]
            {
                ("get", client.GetAsync($"warehouses/{warehouseId}")),
                ("connection state", client.GetAsync($"warehouses/{warehouseId}/connection-state")),
                ("connected sources", client.GetAsync($"warehouses/{warehouseId}/connected-sources")),
                ("advanced schedule", client.GetAsync($"warehouses/{warehouseId}/advanced-sync-schedule")),
                ("syncs", client.GetAsync($"warehouses/{warehouseId}/syncs")),
            };
            var changes = new[]
            {
                ("update", client.PatchJsonAsync($"warehouses/{warehouseId}", """{"name":"Renamed"}""")),
                ("selective sync", client.PatchJsonAsync($"warehouses/{warehouseId}/selective-sync",
                    $$"""{"syncOverrides":[{"sourceId":"{{sourceId}}","collection":"tracks","enabled":true}]}""")),
                ("advanced schedule", client.PutJsonAsync($"warehouses/{warehouseId}/advanced-sync-schedule", """{"enabled":false}""")),
                ("sync interval", client.PatchJsonAsync($"warehouses/{warehouseId}/sync-schedule", """{"intervalSeconds":600}""")),
            };
            foreach (var (call, request) in reads)
            {
                var (status, body) = await request.ReadAsync();
                if (status != read)
                {
                    failures.Add($"{name} {call}: expected {read}, got {status} {body}");
                }
            }

            foreach (var (call, request) in changes)
            {
                var (status, body) = await request.ReadAsync();
                if (status != change)
                {
                    failures.Add($"{name} {call}: expected {change}, got {status} {body}");
                }
            }

            var (listed, list) = await client.GetAsync("warehouses").ReadAsync();
            var sees = list.ToString().Contains(warehouseId, StringComparison.Ordinal);
            if (listed != 200 || sees != (read == 200))
            {
                failures.Add($"{name} list: got {listed}, {(sees ? "shows" : "hides")} the warehouse");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(200, (await callers[1].Client.DeleteAsync($"warehouses/{warehouseId}").ReadAsync()).Status);
    }

    [Fact]
    public async Task CreatingNeedsAdminOnAllWarehousesAndTestingSettingsNeedsAdminOnSome()
    {
        await using var server = await WarehouseApiClient.StartAsync(new FakeWarehouseLoaders(), new FakeWarehouseSyncs());
        using var owner = await server.CreateApiClientAsync();
        var warehouseId = await owner.CreateWarehouseAsync();
        using var adminOfAll = await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin");
        using var adminOfOne = await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin", [warehouseId]);
        using var readOnly = await server.ClientWithWarehouseRoleAsync("warehouse-destination-read-only");
        const string Body = """{"metadataId":"duckdb","settings":{"path":"{path}.duckdb"}}""";

        await adminOfAll.PostJsonAsync("warehouses", Body.Replace("{path}", "all", StringComparison.Ordinal)).DataAsync(201);
        var refused = await adminOfOne.PostJsonAsync("warehouses", Body.Replace("{path}", "one", StringComparison.Ordinal)).ErrorAsync(403);
        Assert.Contains("all warehouses", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        await readOnly.PostJsonAsync("warehouses", Body.Replace("{path}", "ro", StringComparison.Ordinal)).ErrorAsync(403);

        await adminOfOne.PostJsonAsync("warehouses/validation", Body.Replace("{path}", "check", StringComparison.Ordinal)).DataAsync();
        await readOnly.PostJsonAsync("warehouses/validation", Body.Replace("{path}", "check", StringComparison.Ordinal)).ErrorAsync(403);
    }

    [Fact]
    public async Task ConnectingASourceNeedsAdminOnTheWarehouseAndOnTheSource()
    {
        await using var server = await WarehouseApiClient.StartAsync(new FakeWarehouseLoaders(), new FakeWarehouseSyncs());
        using var owner = await server.CreateApiClientAsync();
        var (sourceId, _) = await server.CreateSourceAsync("web");
        var (otherSourceId, _) = await server.CreateSourceAsync("app");
        var warehouseId = await owner.CreateWarehouseAsync();
        var (otherWorkspace, theirSourceId) = await server.AddOtherWorkspaceAsync();
        using var warehouseOnly = await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin", [warehouseId]);
        using var both = await server.ClientWithWarehouseRoleAsync("warehouse-destination-admin", [warehouseId], adminOfSources: [sourceId]);
        using var sourceOnly = await server.CreateApiClientWithRoleAsync("source-admin", [sourceId]);

        var refused = await warehouseOnly.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).ErrorAsync(403);
        Assert.Contains("Source Admin", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        await sourceOnly.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).ErrorAsync(403);
        await both.PostAsync($"warehouses/{warehouseId}/connected-sources/{otherSourceId}", null).ErrorAsync(403);
        await both.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).DataAsync(201);

        await owner.PostAsync($"warehouses/{warehouseId}/connected-sources/{theirSourceId}", null).ErrorAsync(404);
        await otherWorkspace.PostAsync($"warehouses/{warehouseId}/connected-sources/{theirSourceId}", null).ErrorAsync(404);
        await warehouseOnly.DeleteAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}").ErrorAsync(403);
        await both.DeleteAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}").DataAsync();
    }

    [Fact]
    public async Task OneSourcesTablesAndSyncsNeedReadAccessToTheSourceToo()
    {
        await using var server = await WarehouseApiClient.StartAsync(new FakeWarehouseLoaders(), new FakeWarehouseSyncs());
        using var owner = await server.CreateApiClientAsync();
        var (sourceId, _) = await server.CreateSourceAsync("web");
        var warehouseId = await owner.CreateWarehouseAsync();
        await owner.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null).DataAsync(201);
        using var warehouseReader = await server.ClientWithWarehouseRoleAsync("warehouse-destination-read-only", [warehouseId]);
        using var sourceReader = await server.CreateApiClientWithRoleAsync("source-read-only", [sourceId]);
        var paths = new[]
        {
            $"warehouses/{warehouseId}/connected-sources/{sourceId}/selective-syncs",
            $"warehouses/{warehouseId}/connected-sources/{sourceId}/syncs",
        };

        foreach (var path in paths)
        {
            await warehouseReader.GetAsync(path).ErrorAsync(403);
            await sourceReader.GetAsync(path).ErrorAsync(403);
            await owner.GetAsync(path).DataAsync();
        }

        Assert.Empty((await warehouseReader.GetAsync($"warehouses/{warehouseId}/connected-sources").DataAsync()).GetProperty("sources").EnumerateArray());
        Assert.Empty((await sourceReader.GetAsync($"sources/{sourceId}/connected-warehouses").DataAsync()).GetProperty("warehouses").EnumerateArray());
        Assert.Single((await owner.GetAsync($"sources/{sourceId}/connected-warehouses").DataAsync()).GetProperty("warehouses").EnumerateArray());
    }
}
