using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Junction.Testing;
using Junction.Warehouses.Syncing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.EndToEnd;

/// <summary>
/// PostgreSQL unavailable for a while: events keep arriving and stay staged; the syncs fail and say so in the sync
/// history (with the error), are retried with back-off, and once PostgreSQL is back the next retry loads everything,
/// each event once.
/// </summary>
public sealed class PostgresOutageTests
{
    [Fact]
    public async Task SyncsFailVisiblyWhilePostgresIsDownAreRetriedAndCatchUpWithoutLoss()
    {
        await using var postgres = await Postgres.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = new JsonObject
        {
            ["host"] = postgres.Host,
            ["port"] = postgres.Port,
            ["database"] = database,
            ["user"] = postgres.User,
            ["password"] = "unused",
            ["sslMode"] = "disable",
        };
        await using var scenario = await WarehouseScenario.StartAsync("postgres", settings, "outage-shop",
            [("Warehouses:RetryDelay", "00:00:00.500"), ("Warehouses:MaxRetryDelay", "00:00:01")]);

        await scenario.SendBatchAsync(Batch(0, 100));
        var first = await scenario.SyncAsync();
        Assert.Equal(200, first.Rows);

        await postgres.StopAsync();
        await scenario.SendBatchAsync(Batch(100, 150));
        var failed = await scenario.SyncAsync();
        Assert.Equal(SyncStatus.Failure, failed.Status);

        // The failure is visible in the Public API, with the reason, and retries follow on their own.
        var reports = await Eventually.GetAsync(async () =>
        {
            var listed = await scenario.Api.GetFromJsonAsync<JsonObject>($"/api/warehouses/{scenario.WarehouseId}/syncs?pagination[count]=50");
            var all = listed!["data"]!["reports"]!.AsArray();
            return all.Count(r => (string?)r!["trigger"] == "retry" && (string?)r["status"] == "FAILED") >= 2 ? all : null;
        }, TimeSpan.FromSeconds(30), "failed retries in the sync history");
        var report = reports.First(r => (string?)r!["status"] == "FAILED")!;
        Assert.Contains("connect", report["notices"]![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ERROR", report["notices"]![0]!["level"]!.GetValue<string>());

        await postgres.StartAsync();
        await Eventually.TrueAsync(async () =>
        {
            var syncs = await scenario.Server.Services.GetRequiredService<IWarehouseSyncs>().ListAsync(scenario.WarehouseId, scenario.SourceId, 0, 100, CancellationToken.None);
            return syncs.Any(s => s.Trigger == "retry" && s.Status == SyncStatus.Success && s.Rows > 0);
        }, TimeSpan.FromSeconds(30), "a retry to load what was staged during the outage");

        Assert.Equal(250L, await postgres.ScalarAsync<long>(database, "SELECT count(*) FROM outage_shop.tracks"));
        Assert.Equal(250L, await postgres.ScalarAsync<long>(database, "SELECT count(DISTINCT id) FROM outage_shop.tracks"));
        Assert.Equal(250L, await postgres.ScalarAsync<long>(database, "SELECT count(*) FROM outage_shop.item_added"));
    }

    private static string Batch(int first, int count) =>
        "{\"batch\":[" + string.Join(',', Enumerable.Range(first, count).Select(i =>
            $$$"""{"type":"track","userId":"user-{{{i % 10}}}","event":"Item Added","messageId":"o-{{{i}}}","properties":{"n":{{{i}}}}}""")) + "]}";
}
