using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Staging;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Bench.WarehouseLoad;

/// <summary>
/// Freshness: a Junction server (in this process, embedded defaults) with one source connected to its DuckDB warehouse
/// on a one-minute schedule receives <c>--rate</c> events per second over the Tracking API for <c>--minutes</c>; every
/// two seconds a probe counts the rows of the event's table through the server's own loader (skipping a probe when a
/// sync holds the file). An event counts as queryable from the first probe that counts at least as many rows as had
/// been sent up to and including it; its freshness is that probe's time minus the time it was sent.
/// </summary>
internal static class Freshness
{
    public static async Task<int> RunAsync(int rate, double minutes)
    {
        using var data = new TempDirectory();
        await using var server = await JunctionTestServer.StartAsync(data.Path);
        using var api = await server.CreateApiClientAsync();
        var (sourceId, writeKey) = await server.CreateSourceAsync("fresh");
        var catalog = await api.GetFromJsonAsync<JsonObject>("/api/catalog/warehouses");
        var duckdb = catalog!["data"]!["warehousesCatalog"]!.AsArray().Single(w => (string?)w!["slug"] == "duckdb")!["id"]!.GetValue<string>();
        var created = await (await api.PostAsJsonAsync("/api/warehouses", new JsonObject { ["metadataId"] = duckdb, ["settings"] = new JsonObject() })).Content.ReadFromJsonAsync<JsonObject>();
        var warehouseId = created!["data"]!["warehouse"]!["id"]!.GetValue<string>();
        (await api.PostAsync($"/api/warehouses/{warehouseId}/connected-sources/{sourceId}", null)).EnsureSuccessStatusCode();
        (await api.PatchAsJsonAsync($"/api/warehouses/{warehouseId}/sync-schedule", new JsonObject { ["intervalSeconds"] = 60 })).EnsureSuccessStatusCode();
        Console.WriteLine($"freshness: {rate:N0} events/s for {minutes} min into DuckDB on a 1-minute schedule");

        var clock = Stopwatch.StartNew();
        var sentAt = new List<double>();
        var probes = new List<(double At, long Rows)>();
        var duration = TimeSpan.FromMinutes(minutes);
        using var stop = new CancellationTokenSource();
        var probing = ProbeAsync(server, warehouseId, clock, probes, stop.Token);

        const int PerRequest = 50;
        var n = 0;
        while (clock.Elapsed < duration)
        {
            var due = (double)n / rate;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }

            var batch = string.Join(',', Enumerable.Range(n, PerRequest).Select(i =>
                $$$"""{"type":"track","userId":"u-{{{i % 500}}}","event":"Fresh Event","messageId":"f-{{{i}}}","properties":{"n":{{{i}}}}}"""));
            using var response = await server.PostTrackingAsync("/v1/batch", $$"""{"batch":[{{batch}}]}""", writeKey);
            response.EnsureSuccessStatusCode();
            var at = clock.Elapsed.TotalSeconds;
            for (var i = 0; i < PerRequest; i++)
            {
                sentAt.Add(at);
            }

            n += PerRequest;
        }

        // Keep probing until everything sent is queryable (or three more minutes have passed).
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(3);
        while (clock.Elapsed < deadline && (probes.Count == 0 || probes[^1].Rows < n))
        {
            await Task.Delay(1000);
        }

        await stop.CancelAsync();
        await probing;
        var worst = 0.0;
        var lags = new List<double>();
        var p = 0;
        for (var i = 0; i < n; i++)
        {
            while (p < probes.Count && probes[p].Rows < i + 1)
            {
                p++;
            }

            if (p == probes.Count)
            {
                Console.WriteLine($"event {i:N0} was never seen in the warehouse");
                return 1;
            }

            var lag = probes[p].At - sentAt[i];
            lags.Add(lag);
            worst = Math.Max(worst, lag);
        }

        lags.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"freshness: {n:N0} events sent at {n / duration.TotalSeconds:N0}/s; queryable after p50 {lags[lags.Count / 2]:N1} s, p99 {lags[(int)(lags.Count * 0.99)]:N1} s, worst {worst:N1} s (probe every 2 s)"));
        return worst <= 120 ? 0 : 1;
    }

    private static async Task ProbeAsync(JunctionTestServer server, string warehouseId, Stopwatch clock, List<(double At, long Rows)> probes, CancellationToken stop)
    {
        var loaders = server.Services.GetRequiredService<IWarehouseLoaders>();
        var warehouses = server.Services.GetRequiredService<IWarehouseDirectory>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var warehouse = warehouses.Find(warehouseId)!;
                await using var connection = await loaders.Create(warehouse.Kind, warehouse.Settings).ConnectAsync(stop);
                var tables = await connection.ListTablesAsync("fresh", stop);
                var rows = tables.FirstOrDefault(t => t.Name == "fresh_event")?.Rows ?? 0;
                lock (probes)
                {
                    probes.Add((clock.Elapsed.TotalSeconds, rows));
                }
            }
            catch (WarehouseException)
            {
                // A sync holds the file: probe again shortly.
            }

            try
            {
                await Task.Delay(2000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
