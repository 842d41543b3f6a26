using System.Text.Json;
using Junction.Testing;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Staging;
using Junction.Warehouses.Syncing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// Selective sync, schedules and syncs in the Public API: choices round-trip and reach the data plane, a source's
/// tables are read from the warehouse and merged with the choices, schedules are checked and published, and the sync
/// history is shown in Segment's <c>SyncV1</c> shape.
/// </summary>
public sealed class WarehouseSyncsApiTests : IAsyncLifetime
{
    private readonly FakeWarehouseLoaders _loaders = new();
    private readonly FakeWarehouseSyncs _syncs = new();
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _sourceId = "";
    private string _warehouseId = "";

    public async ValueTask InitializeAsync()
    {
        _server = await WarehouseApiClient.StartAsync(_loaders, _syncs);
        _api = await _server.CreateApiClientAsync();
        (_sourceId, _) = await _server.CreateSourceAsync("web-app");
        _warehouseId = await _api.CreateWarehouseAsync("postgres", """{"host":"db.internal","database":"analytics","user":"junction","password":"secret"}""");
        await _api.PostAsync($"warehouses/{_warehouseId}/connected-sources/{_sourceId}", null).DataAsync(201);
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SelectiveSyncChoicesRoundTripAndReachTheDataPlane()
    {
        _loaders.Tables["web_app"] = new Dictionary<string, TableSchema>
        {
            ["tracks"] = Table("tracks", "id", "received_at", "event"),
            ["order_completed"] = Table("order_completed", "id", "received_at", "total", "coupon"),
        };
        var body = $$"""
            {"syncOverrides":[
              {"sourceId":"{{_sourceId}}","collection":"tracks","enabled":false},
              {"sourceId":"{{_sourceId}}","collection":"order_completed","property":"coupon","enabled":false},
              {"sourceId":"{{_sourceId}}","collection":"pages","enabled":false}
            ]}
            """;

        var updated = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync", body).DataAsync();
        Assert.Equal("""{"status":"UPDATED","warnings":[]}""", updated.GetRawText());
        var again = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync", body).DataAsync();
        Assert.Equal("UNCHANGED", again.GetProperty("status").GetString());

        var list = await _api.GetAsync($"warehouses/{_warehouseId}/connected-sources/{_sourceId}/selective-syncs").DataAsync();
        Assert.True(list.GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("problem").ValueKind);
        Assert.Equal(3, list.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("collection").GetString()!);
        Assert.Equal(["order_completed", "pages", "tracks"], items.Keys);
        var order = items["order_completed"];
        Assert.Equal((_sourceId, _warehouseId, true), (order.GetProperty("sourceId").GetString(), order.GetProperty("warehouseId").GetString(), order.GetProperty("enabled").GetBoolean()));
        Assert.Equal("""{"coupon":false,"id":true,"received_at":true,"total":true}""", order.GetProperty("properties").GetRawText());
        Assert.False(items["tracks"].GetProperty("enabled").GetBoolean());
        Assert.Equal("""{"event":true,"id":true,"received_at":true}""", items["tracks"].GetProperty("properties").GetRawText());
        Assert.Equal(("{}", false), (items["pages"].GetProperty("properties").GetRawText(), items["pages"].GetProperty("enabled").GetBoolean()));

        var selection = Assert.Single(Directory().Find(_warehouseId)!.Sources).Selection;
        Assert.False(selection.TableEnabled("tracks"));
        Assert.False(selection.TableEnabled("pages"));
        Assert.True(selection.TableEnabled("order_completed"));
        Assert.False(selection.ColumnEnabled("order_completed", "coupon"));
        Assert.True(selection.ColumnEnabled("order_completed", "total"));

        var back = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync",
            $$"""{"syncOverrides":[{"sourceId":"{{_sourceId}}","collection":"tracks","enabled":true}]}""").DataAsync();
        Assert.Equal("UPDATED", back.GetProperty("status").GetString());
        Assert.True(Assert.Single(Directory().Find(_warehouseId)!.Sources).Selection.TableEnabled("tracks"));
        Assert.Contains("Warehouse Selective Sync Modified", (await _api.GetAsync("audit-events").DataAsync()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AColumnChoiceOnATableThatIsOffComesWithAWarning()
    {
        var result = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync", $$"""
            {"syncOverrides":[
              {"sourceId":"{{_sourceId}}","collection":"identifies","enabled":false},
              {"sourceId":"{{_sourceId}}","collection":"identifies","property":"email","enabled":false}
            ]}
            """).DataAsync();

        Assert.Equal("UPDATED", result.GetProperty("status").GetString());
        var warning = Assert.Single(result.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("\"identifies\"", warning, StringComparison.Ordinal);
        Assert.Contains("\"email\"", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"syncOverrides":[{"sourceId":"src_elsewhere","collection":"tracks","enabled":false}]}""", "syncOverrides[0].sourceId")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","enabled":false}]}""", "syncOverrides[0].collection")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","collection":"tracks","property":"received_at","enabled":false}]}""", "syncOverrides[0].property")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","collection":"tracks","property":"id","enabled":false}]}""", "syncOverrides[0].property")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","collection":"tracks"}]}""", "syncOverrides[0].enabled")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","collection":"tracks","enabled":true},{"collection":"tracks","enabled":true}]}""", "syncOverrides[1].sourceId")]
    [InlineData("""{"syncOverrides":[{"sourceId":"{source}","collection":3,"enabled":true}]}""", "syncOverrides[0].collection")]
    [InlineData("""{"syncOverrides":{}}""", "syncOverrides")]
    [InlineData("""{}""", "syncOverrides")]
    public async Task BadSelectiveSyncChoicesAreRefusedNamingTheField(string body, string field)
    {
        var error = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync", body.Replace("{source}", _sourceId, StringComparison.Ordinal))
            .ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Same(SelectiveSync.All, Assert.Single(Directory().Find(_warehouseId)!.Sources).Selection);
    }

    [Fact]
    public async Task WhenTheWarehouseCannotBeReachedTheListHoldsTheChoicesAndSaysWhy()
    {
        _loaders.ConnectFailure = "could not connect to server: Connection refused";
        await _api.PatchJsonAsync($"warehouses/{_warehouseId}/selective-sync",
            $$"""{"syncOverrides":[{"sourceId":"{{_sourceId}}","collection":"tracks","property":"context_ip","enabled":false}]}""").DataAsync();

        var list = await _api.GetAsync($"warehouses/{_warehouseId}/connected-sources/{_sourceId}/selective-syncs").DataAsync();

        Assert.False(list.GetProperty("reachable").GetBoolean());
        Assert.Equal("could not connect to server: Connection refused", list.GetProperty("problem").GetString());
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("tracks", true, """{"context_ip":false}"""),
            (item.GetProperty("collection").GetString(), item.GetProperty("enabled").GetBoolean(), item.GetProperty("properties").GetRawText()));
    }

    [Fact]
    public async Task TheSelectiveSyncListIsPaginatedAndNeedsTheSourceToBeConnected()
    {
        _loaders.Tables["web_app"] = new Dictionary<string, TableSchema>
        {
            ["aliases"] = Table("aliases", "id"),
            ["identifies"] = Table("identifies", "id"),
            ["tracks"] = Table("tracks", "id"),
        };

        var first = await _api.GetAsync($"warehouses/{_warehouseId}/connected-sources/{_sourceId}/selective-syncs?pagination[count]=2").DataAsync();
        Assert.Equal(["aliases", "identifies"], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("collection").GetString()));
        var next = first.GetProperty("pagination").GetProperty("next").GetString()!;
        var second = await _api.GetAsync(
            $"warehouses/{_warehouseId}/connected-sources/{_sourceId}/selective-syncs?pagination[count]=2&pagination[cursor]={Uri.EscapeDataString(next)}").DataAsync();
        Assert.Equal(["tracks"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("collection").GetString()));

        var (otherSource, _) = await _server.CreateSourceAsync("not-connected");
        var error = await _api.GetAsync($"warehouses/{_warehouseId}/connected-sources/{otherSource}/selective-syncs").ErrorAsync(404);
        Assert.Contains("not connected", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdvancedSyncScheduleIsCheckedStoredAndPublished()
    {
        var none = await _api.GetAsync($"warehouses/{_warehouseId}/advanced-sync-schedule").DataAsync();
        Assert.Equal("""{"enabled":false,"schedule":null}""", none.GetRawText());

        var replaced = await _api.PutJsonAsync($"warehouses/{_warehouseId}/advanced-sync-schedule", """
            {"enabled":true,"schedule":{"timezone":"America/New_York","times":[{"hourOfDay":6,"enabled":true},{"hourOfDay":18,"enabled":true},{"hourOfDay":12,"enabled":false}]}}
            """).DataAsync();

        Assert.True(replaced.GetProperty("enabled").GetBoolean());
        Assert.Equal("America/New_York", replaced.GetProperty("schedule").GetProperty("timezone").GetString());
        var times = replaced.GetProperty("schedule").GetProperty("times").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 24), times.Select(t => t.GetProperty("hourOfDay").GetInt32()));
        Assert.Equal([6, 18], times.Where(t => t.GetProperty("enabled").GetBoolean()).Select(t => t.GetProperty("hourOfDay").GetInt32()));
        Assert.Equal(replaced.GetRawText(), (await _api.GetAsync($"warehouses/{_warehouseId}/advanced-sync-schedule").DataAsync()).GetRawText());
        var schedule = Directory().Find(_warehouseId)!.Schedule;
        Assert.Equal([6, 18], schedule.Hours!.Order());
        Assert.Equal("America/New_York", schedule.TimeZone);

        var off = await _api.PutJsonAsync($"warehouses/{_warehouseId}/advanced-sync-schedule", """{"enabled":false}""").DataAsync();
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Equal("America/New_York", off.GetProperty("schedule").GetProperty("timezone").GetString());
        Assert.Null(Directory().Find(_warehouseId)!.Schedule.Hours);
        await _api.PutJsonAsync($"warehouses/{_warehouseId}/advanced-sync-schedule", """{"enabled":true}""").DataAsync();
        Assert.Equal([6, 18], Directory().Find(_warehouseId)!.Schedule.Hours!.Order());
    }

    [Theory]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"Mars/Olympus","times":[{"hourOfDay":1,"enabled":true}]}}""", "schedule.timezone")]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"UTC","times":[{"hourOfDay":24,"enabled":true}]}}""", "schedule.times[0].hourOfDay")]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"UTC","times":[{"hourOfDay":1,"enabled":true},{"hourOfDay":1,"enabled":false}]}}""", "schedule.times[1].hourOfDay")]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"UTC","times":[{"hourOfDay":"1","enabled":true}]}}""", "schedule.times[0].hourOfDay")]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"UTC","times":[{"hourOfDay":1,"enabled":false}]}}""", "schedule.times")]
    [InlineData("""{"enabled":true,"schedule":{"timezone":"UTC"}}""", "schedule.times")]
    [InlineData("""{"enabled":true,"schedule":{"times":[]}}""", "schedule.timezone")]
    [InlineData("""{"enabled":true}""", "schedule")]
    [InlineData("""{"schedule":{"timezone":"UTC","times":[]}}""", "enabled")]
    public async Task ABadAdvancedScheduleIsRefusedNamingTheField(string body, string field)
    {
        var error = await _api.PutJsonAsync($"warehouses/{_warehouseId}/advanced-sync-schedule", body).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Null(Directory().Find(_warehouseId)!.Schedule.Hours);
    }

    [Fact]
    public async Task TheSyncIntervalIsOneMinuteToOneDay()
    {
        var set = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/sync-schedule", """{"intervalSeconds":3600}""").DataAsync();

        Assert.Equal("""{"intervalSeconds":3600}""", set.GetRawText());
        Assert.Equal(TimeSpan.FromHours(1), Directory().Find(_warehouseId)!.Schedule.Interval);
        Assert.Equal(3600, (await _api.GetAsync($"warehouses/{_warehouseId}").DataAsync()).GetProperty("warehouse").GetProperty("syncIntervalSeconds").GetInt32());
        foreach (var bad in new[] { "59", "86401", "\"600\"", "600.5", "null" })
        {
            var error = await _api.PatchJsonAsync($"warehouses/{_warehouseId}/sync-schedule", $$"""{"intervalSeconds":{{bad}}}""").ErrorAsync(422);
            Assert.Equal("intervalSeconds", error.GetProperty("field").GetString());
        }

        Assert.Equal(TimeSpan.FromHours(1), Directory().Find(_warehouseId)!.Schedule.Interval);
    }

    [Fact]
    public async Task TheSyncHistoryIsShownInSegmentsShapeNewestFirst()
    {
        var (otherSource, _) = await _server.CreateSourceAsync("other");
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        _syncs.Records.AddRange(
        [
            new SyncRecord("sync_1", _warehouseId, _sourceId, "schedule", start, start.AddSeconds(65.5), SyncStatus.Partial, 42,
                new Dictionary<string, long> { ["tracks"] = 40, ["users"] = 2 },
                [new SyncNotice("WARNING", "1 value discarded from tracks.total", start.AddSeconds(60))]),
            new SyncRecord("sync_2", _warehouseId, otherSource, "manual", start.AddHours(1), start.AddHours(1).AddMilliseconds(850), SyncStatus.Failure, 0,
                new Dictionary<string, long>(), [new SyncNotice("ERROR", "relation \"tracks\" does not exist", start.AddHours(1))]),
            new SyncRecord("sync_3", _warehouseId, _sourceId, "schedule", start.AddHours(2), null, SyncStatus.Running, 0, new Dictionary<string, long>(), []),
            new SyncRecord("sync_4", "wh_someone_else", _sourceId, "schedule", start, start, SyncStatus.Success, 0, new Dictionary<string, long>(), []),
        ]);

        var all = await _api.GetAsync($"warehouses/{_warehouseId}/syncs").DataAsync();
        Assert.Equal(["sync_3", "sync_2", "sync_1"], all.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(3, all.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        var running = all.GetProperty("reports")[0];
        Assert.Equal(("RUNNING", JsonValueKind.Null), (running.GetProperty("status").GetString(), running.GetProperty("end").ValueKind));
        var failed = all.GetProperty("reports")[1];
        Assert.Equal(("FAILED", 0.85, "850ms"), (failed.GetProperty("status").GetString(), failed.GetProperty("duration").GetDouble(), failed.GetProperty("humanDuration").GetString()));

        var bySource = await _api.GetAsync($"warehouses/{_warehouseId}/connected-sources/{_sourceId}/syncs?pagination[count]=1&pagination[cursor]={Uri.EscapeDataString(Convert.ToBase64String("1"u8))}").DataAsync();
        var partial = Assert.Single(bySource.GetProperty("reports").EnumerateArray());
        Assert.Equal(2, bySource.GetProperty("pagination").GetProperty("totalEntries").GetInt32());
        Assert.Equal(
            """{"sourceId":"{source}","start":"2026-03-01T10:00:00.000Z","end":"2026-03-01T10:01:05.500Z","status":"PARTIAL","duration":65.5,"humanDuration":"1m 5s","count":42,"notices":[{"level":"WARNING","message":"1 value discarded from tracks.total","createdAt":"2026-03-01T10:01:00.000Z"}],"id":"sync_1","trigger":"schedule","rowsByTable":{"tracks":40,"users":2}}"""
                .Replace("{source}", _sourceId, StringComparison.Ordinal),
            partial.GetRawText());
    }

    [Fact]
    public async Task SyncNowAsksTheDataPlaneAndAnswers202()
    {
        using var response = await _api.PostAsync($"warehouses/{_warehouseId}/syncs", null);
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal($$$"""{"data":{"warehouseId":"{{{_warehouseId}}}"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal([_warehouseId], _syncs.Requested);
        Assert.Contains("Warehouse Sync Requested", (await _api.GetAsync("audit-events").DataAsync()).ToString(), StringComparison.Ordinal);

        _syncs.Accepts = false;
        await _api.PostAsync($"warehouses/{_warehouseId}/syncs", null).ErrorAsync(409);
        await _api.PatchJsonAsync($"warehouses/{_warehouseId}", """{"enabled":false}""").DataAsync();
        var disabled = await _api.PostAsync($"warehouses/{_warehouseId}/syncs", null).ErrorAsync(422);
        Assert.Equal("enabled", disabled.GetProperty("field").GetString());
        Assert.Equal(2, _syncs.Requested.Count);
    }

    private WarehouseDirectory Directory() => _server.Services.GetRequiredService<WarehouseDirectory>();

    private static TableSchema Table(string name, params string[] columns) =>
        new(name, columns.ToDictionary(c => c, _ => ColumnType.Text, StringComparer.Ordinal));
}
