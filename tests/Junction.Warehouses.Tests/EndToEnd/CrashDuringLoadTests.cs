using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Junction.Testing;

namespace Junction.Warehouses.Tests.EndToEnd;

/// <summary>
/// Kill -9 in the middle of a load: the server runs as its own process and syncs tens of thousands of events into its
/// DuckDB warehouse in many small loads; it is killed with SIGKILL while the sync runs. After a restart the next syncs
/// load the rest, and every event is in the warehouse exactly once — whether the kill came inside a load's transaction,
/// or between a load's commit in the warehouse and the staging position's commit (the load then runs again and its
/// rows are deduplicated on id). The test reads the file with its own DuckDB connection, as an analyst's client would.
/// </summary>
public sealed class CrashDuringLoadTests
{
    private const int Events = 40_000;

    [Fact]
    public async Task AfterKill9DuringASyncEveryEventIsInTheWarehouseExactlyOnce()
    {
        using var data = new TempDirectory();
        var (sourceId, writeKey) = await ControlPlaneSeed.CreateSourceAsync(data.Path, "crash-shop");
        var (exitCode, token, errors) = await ServerProcess.RunVerbAsync("tokens", "create", "--name", "crash-test", "--data", data.Path);
        Assert.True(exitCode == 0, errors);
        string[] settings = ["--Warehouses:LoadSize=500", "--Warehouses:RetryDelay=00:00:01", "--Warehouses:MaxRetryDelay=00:00:02"];

        var server = await ServerProcess.StartAsync(data.Path, settings);
        string warehouseId;
        using (var api = Api(server.BaseAddress, token.Trim()))
        {
            warehouseId = await WarehouseScenario.CreateWarehouseAsync(api, "duckdb", []);
            using var connected = await api.PostAsync($"warehouses/{warehouseId}/connected-sources/{sourceId}", null);
            Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
            await SendAsync(server.BaseAddress, writeKey);

            // Ask for syncs until one is seen running, then kill the server while it runs.
            await Eventually.TrueAsync(async () =>
            {
                var syncs = await api.GetFromJsonAsync<JsonObject>($"warehouses/{warehouseId}/syncs?pagination[count]=5");
                if (syncs!["data"]!["reports"]!.AsArray().Any(s => (string?)s!["status"] == "RUNNING"))
                {
                    return true;
                }

                using var _ = await api.PostAsync($"warehouses/{warehouseId}/syncs", null);
                return false;
            }, TimeSpan.FromSeconds(60), "a sync to be running");
        }

        await server.KillAsync();
        await server.DisposeAsync();
        var file = Path.Combine(data.Path, "warehouse.duckdb");
        var beforeRestart = await CountAsync(file, "SELECT count(*) FROM crash_shop.tracks");
        Assert.True(beforeRestart < Events, $"the kill came before the sync had finished ({beforeRestart} rows)");

        await using var restarted = await ServerProcess.StartAsync(data.Path, settings);
        using (var api = Api(restarted.BaseAddress, token.Trim()))
        {
            using var _ = await api.PostAsync($"warehouses/{warehouseId}/syncs", null);
        }

        // Reading the file briefly between syncs may make a sync fail on the lock; it is retried within seconds.
        await Eventually.TrueAsync(async () => await CountAsync(file, "SELECT count(*) FROM crash_shop.tracks") >= Events, TimeSpan.FromSeconds(120), "every event in the warehouse");
        await restarted.StopAsync();

        Assert.Equal(Events, await CountAsync(file, "SELECT count(*) FROM crash_shop.tracks"));
        Assert.Equal(Events, await CountAsync(file, "SELECT count(DISTINCT id) FROM crash_shop.tracks"));
        Assert.Equal(Events, await CountAsync(file, "SELECT count(*) FROM crash_shop.step_completed"));
        Assert.Equal(Events, await CountAsync(file, "SELECT count(DISTINCT n) FROM crash_shop.step_completed"));
    }

    private static async Task SendAsync(Uri server, string writeKey)
    {
        using var tracking = new HttpClient { BaseAddress = server };
        tracking.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        for (var first = 0; first < Events; first += 500)
        {
            var batch = string.Join(',', Enumerable.Range(first, 500).Select(i =>
                $$$"""{"type":"track","userId":"user-{{{i % 200}}}","event":"Step Completed","messageId":"m-{{{i}}}","properties":{"n":{{{i}}},"step":"s-{{{i % 7}}}","ok":true}}"""));
            using var response = await tracking.PostAsync("v1/batch", new StringContent($$"""{"batch":[{{batch}}]}""", Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Opens the warehouse file read-only, runs a count and closes it (0 while the schema does not exist or the file is locked by a sync).</summary>
    private static async Task<long> CountAsync(string file, string sql)
    {
        try
        {
            await using var connection = new DuckDBConnection($"Data Source={file};ACCESS_MODE=READ_ONLY");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (DuckDBException)
        {
            return 0;
        }
    }

    private static HttpClient Api(Uri server, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server, "api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
