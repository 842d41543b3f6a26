using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Junction.Ingest.Processing;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Staging;
using Junction.Warehouses.Syncing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests;

/// <summary>
/// A Junction server with one source connected to one warehouse through the Public API, for tests that send events and
/// read what the warehouse holds after a sync.
/// </summary>
internal sealed class WarehouseScenario : IAsyncDisposable
{
    private readonly HashSet<string> _seenSyncs = [];

    private WarehouseScenario(JunctionTestServer server, HttpClient api, string sourceId, string writeKey, string warehouseId, string schema)
    {
        Server = server;
        Api = api;
        SourceId = sourceId;
        WriteKey = writeKey;
        WarehouseId = warehouseId;
        Schema = schema;
    }

    public JunctionTestServer Server { get; }

    public HttpClient Api { get; }

    public string SourceId { get; }

    public string WriteKey { get; }

    public string WarehouseId { get; }

    /// <summary>The source's schema in the warehouse.</summary>
    public string Schema { get; }

    /// <summary>Starts a server, creates a source and a warehouse of <paramref name="kind"/> with <paramref name="settings"/>, and connects them.</summary>
    public static async Task<WarehouseScenario> StartAsync(
        string kind, JsonObject settings, string sourceSlug = "golden-shop", IEnumerable<(string Key, string Value)>? serverSettings = null, string? dataDirectory = null)
    {
        var server = await JunctionTestServer.StartAsync(dataDirectory, serverSettings);
        try
        {
            var api = await server.CreateApiClientAsync();
            var (sourceId, writeKey) = await server.CreateSourceAsync(sourceSlug);
            var warehouseId = await CreateWarehouseAsync(api, kind, settings);
            var connected = await api.PostAsync($"/api/warehouses/{warehouseId}/connected-sources/{sourceId}", null);
            Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
            return new WarehouseScenario(server, api, sourceId, writeKey, warehouseId, sourceSlug.Replace('-', '_'));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a warehouse of a catalog kind through the Public API and answers its id.</summary>
    public static async Task<string> CreateWarehouseAsync(HttpClient api, string kind, JsonObject settings, string name = "Analytics")
    {
        var catalog = await api.GetFromJsonAsync<JsonObject>("/api/catalog/warehouses");
        var metadataId = catalog!["data"]!["warehousesCatalog"]!.AsArray().Single(w => (string?)w!["slug"] == kind)!["id"]!.GetValue<string>();
        var response = await api.PostAsJsonAsync("/api/warehouses", new JsonObject { ["metadataId"] = metadataId, ["name"] = name, ["settings"] = settings.DeepClone() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["data"]!["warehouse"]!["id"]!.GetValue<string>();
    }

    /// <summary>Sends a Tracking API batch (<c>{"batch": [...]}</c>) with the source's write key.</summary>
    public async Task SendBatchAsync(string json)
    {
        var response = await Server.PostTrackingAsync("/v1/batch", json, WriteKey);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Waits until the processor has staged everything sent so far, presses "sync now" and waits for that sync of the
    /// source to end; answers it, with the rows and notices of every other sync of the source that ended since the last
    /// call added in: the scheduler looks at a new warehouse at once and then on its schedule's clock, so a scheduled
    /// sync may load the events just before the manual one.
    /// </summary>
    public async Task<SyncRecord> SyncAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var processor = Server.Services.GetRequiredService<EventProcessor>();
        await Eventually.TrueAsync(() => processor.IsCaughtUpAsync(CancellationToken.None), limit, "the processor to stage every event");
        var syncs = Server.Services.GetRequiredService<IWarehouseSyncs>();
        Assert.True(syncs.SyncNow(WarehouseId), "sync now was refused");
        var ended = await Eventually.GetAsync(async () =>
        {
            var recent = (await syncs.ListAsync(WarehouseId, SourceId, 0, 50, CancellationToken.None))
                .Where(s => s.End is not null && !_seenSyncs.Contains(s.Id)).ToList();
            return recent.Any(s => s.Trigger == "manual") ? recent : null;
        }, limit, "the sync to end");
        _seenSyncs.UnionWith(ended.Select(s => s.Id));
        var manual = ended.First(s => s.Trigger == "manual");
        var rowsByTable = ended.SelectMany(s => s.RowsByTable).GroupBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal);
        return manual with { Rows = ended.Sum(s => s.Rows), RowsByTable = rowsByTable, Notices = [.. ended.SelectMany(s => s.Notices)] };
    }

    /// <summary>Opens the warehouse with the server's own loader.</summary>
    public Task<IWarehouseConnection> ConnectAsync()
    {
        var warehouse = Server.Services.GetRequiredService<IWarehouseDirectory>().Find(WarehouseId)!;
        return Server.Services.GetRequiredService<IWarehouseLoaders>().Create(warehouse.Kind, warehouse.Settings).ConnectAsync(CancellationToken.None);
    }

    /// <summary>
    /// Everything the source's schema holds as text: per table (by name) its columns with their types, then its rows
    /// sorted by id, each value that is not null, leaving out the values that change from run to run (received_at, uuid_ts).
    /// </summary>
    public async Task<string> DumpAsync()
    {
        await using var connection = await ConnectAsync();
        var described = await connection.DescribeAsync(Schema, CancellationToken.None);
        var tables = await connection.ListTablesAsync(Schema, CancellationToken.None);
        var text = new StringBuilder();
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"== {table.Name} ({table.Rows} rows)\n");
            if (described.TryGetValue(table.Name, out var schema))
            {
                foreach (var (column, type) in schema.Columns.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    text.Append(CultureInfo.InvariantCulture, $"   {column}: {type}\n");
                }
            }

            var preview = await connection.PreviewAsync(Schema, table.Name, 10_000, CancellationToken.None);
            var rows = preview.Rows
                .Select(row => preview.Columns
                    .Select((column, i) => (column, value: row[i]))
                    .Where(c => c.value is not null && c.column is not "received_at" and not "uuid_ts")
                    .OrderBy(c => c.column, StringComparer.Ordinal)
                    .Select(c => $"{c.column}={c.value}")
                    .ToList())
                .Select(values => string.Join(" | ", values))
                .Order(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"   > {row}\n");
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
