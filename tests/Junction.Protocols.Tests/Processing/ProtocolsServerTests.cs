using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Junction.Protocols.Transformations;
using Junction.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.Tests.Processing;

/// <summary>
/// Protocols in a whole server: events sent through the Tracking API, a tracking plan connected through a fake
/// directory (the control plane is tested on its own), and what the debugger, the schema and violations routes show.
/// </summary>
public sealed class ProtocolsServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeDirectory _directory = new();
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _sourceId = "";
    private string _writeKey = "";
    private string _targetId = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(configure: builder => builder.Services.AddSingleton<IProtocolsDirectory>(_directory));
        (_sourceId, _writeKey) = await _server.CreateSourceAsync("web");
        (_targetId, _) = await _server.CreateSourceAsync("quarantine");
        _api = await _server.CreateApiClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ABlockedEventIsShownBlockedAndItsForwardedCopyAndViolationsShowInTheTargetSourcesDebugger()
    {
        var settings = new SourceSchemaSettings(new TrackControls(AllowUnplannedEvents: false), new TraitsControls(), new TraitsControls(), _targetId, _targetId);
        _directory.Set(new SourceProtocols(_sourceId, "tp_1", "Web plan", PlanCompiler.Compile([StageHarness.Track("Order Completed", """
            {"type":"object","properties":{"properties":{"type":"object","required":["order_id"],"properties":{"order_id":{"type":"string"}}}}}
            """)]), settings, [], new Dictionary<string, IReadOnlyList<CompiledTransformation>>()));

        await SendAsync("""
            {"batch":[
              {"type":"track","event":"Coupon Applied","userId":"u1","messageId":"m-coupon"},
              {"type":"track","event":"Order Completed","userId":"u1","messageId":"m-order","properties":{"total":3}}
            ]}
            """);

        var target = await Eventually.GetAsync(async () =>
        {
            var events = await DebuggerAsync(_targetId);
            return events.Count(e => e.GetProperty("name").GetString() is "Coupon Applied" or "Violation Generated") >= 4 ? events : null;
        }, Timeout, "the forwarded event and violations in the target's debugger");
        var forwarded = target.Single(e => e.GetProperty("name").GetString() == "Coupon Applied").GetProperty("event");
        Assert.Equal((_sourceId, _targetId, "m-coupon"),
            (forwarded.GetProperty("forwardedFromProject").GetString(), forwarded.GetProperty("projectId").GetString(), forwarded.GetProperty("messageId").GetString()));
        var violations = target.Where(e => e.GetProperty("name").GetString() == "Violation Generated")
            .Select(e => e.GetProperty("event").GetProperty("properties").GetProperty("violationType").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal([ViolationTypes.Required, ViolationTypes.UnplannedEvent, ViolationTypes.UnplannedProperty], violations);

        var source = await DebuggerAsync(_sourceId);
        var blocked = source.Single(e => e.GetProperty("status").GetString() == "blocked");
        Assert.Equal(("Coupon Applied", "unplanned"), (blocked.GetProperty("name").GetString(), blocked.GetProperty("reason").GetProperty("code").GetString()));
        var passed = source.Single(e => e.GetProperty("status").GetString() == "accepted" && e.GetProperty("name").GetString() == "Order Completed");
        Assert.Equal("m-order", passed.GetProperty("messageId").GetString());

        // The forwarded event counts in the target's schema; the violations do not (as in Segment).
        var targetSchema = await Eventually.GetAsync(async () =>
        {
            var events = (await DataAsync($"sources/{_targetId}/schema")).GetProperty("events");
            return events.GetArrayLength() > 0 ? events.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList() : null;
        }, Timeout, "the target's schema");
        Assert.Equal(["Coupon Applied"], targetSchema);
    }

    [Fact]
    public async Task TheSchemaViewListsEventsAndPropertiesAndABlockStopsTheNextEvents()
    {
        await SendAsync("""
            {"batch":[
              {"type":"track","event":"Product Viewed","userId":"u1","properties":{"sku":"a","price":5}},
              {"type":"track","event":"Debug Ping","userId":"u1","properties":{"n":1}},
              {"type":"identify","userId":"u1","traits":{"email":"a@example.com"}}
            ]}
            """);
        var schema = await Eventually.GetAsync(async () =>
        {
            var data = await DataAsync($"sources/{_sourceId}/schema?sort=name");
            return data.GetProperty("events").GetArrayLength() == 3 ? new[] { data } : null;
        }, Timeout, "three events in the schema");
        Assert.Equal(["", "Debug Ping", "Product Viewed"], schema[0].GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var viewed = (await DataAsync($"sources/{_sourceId}/schema?type=track&search=sku")).GetProperty("events").EnumerateArray().Single();
        Assert.Equal(["properties.price", "properties.sku"], viewed.GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("path").GetString()));
        Assert.Equal(1, viewed.GetProperty("volume").GetProperty("last1Day").GetInt64());

        var patched = await _api.PatchAsJsonAsync($"sources/{_sourceId}/schema/events", new { type = "track", name = "Debug Ping", blocked = true });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.True((await DataOfAsync(patched)).GetProperty("event").GetProperty("isBlocked").GetBoolean());
        await SendAsync("""{"batch":[{"type":"track","event":"Debug Ping","userId":"u1","messageId":"m-ping-2"}]}""");

        var ping = await Eventually.GetAsync(async () =>
        {
            var events = (await DataAsync($"sources/{_sourceId}/schema?search=Debug")).GetProperty("events");
            var e = events.EnumerateArray().Single();
            return e.GetProperty("blocked30Days").GetInt64() == 1 ? new[] { e } : null;
        }, Timeout, "the blocked ping counted");
        Assert.Equal(2, ping[0].GetProperty("volume").GetProperty("last30Days").GetInt64());

        // Event volume, like Segment's, leaves the blocked ping out.
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-2).ToString("O"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        await Eventually.TrueAsync(async () =>
        {
            var result = (await DataAsync($"events/volume?granularity=HOUR&startTime={start}&endTime={end}&groupBy%5B0%5D=eventName")).GetProperty("result");
            var totals = result.EnumerateArray().ToDictionary(r => r.GetProperty("eventName").GetString()!, r => r.GetProperty("total").GetInt64());
            return totals.GetValueOrDefault("Debug Ping") == 1 && totals.GetValueOrDefault("Product Viewed") == 1;
        }, Timeout, "one Debug Ping in the event volume");
        var blocked = (await DebuggerAsync(_sourceId)).Single(e => e.GetProperty("status").GetString() == "blocked");
        Assert.Equal(("m-ping-2", "event_setting"), (blocked.GetProperty("messageId").GetString(), blocked.GetProperty("reason").GetProperty("code").GetString()));

        var audit = await DataAsync("audit-events");
        Assert.Contains(audit.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "Schema Event Blocked");

        var csv = await _api.GetStringAsync($"sources/{_sourceId}/schema.csv");
        Assert.StartsWith("Event Type,Event Name,Property Name", csv, StringComparison.Ordinal);
        Assert.Contains("track,Product Viewed,properties.price,integer,", csv, StringComparison.Ordinal);
        Assert.Contains("track,Debug Ping,,,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEventsCannotBeFlaggedAndBadQueriesAreRefused()
    {
        var patched = await _api.PatchAsJsonAsync($"sources/{_sourceId}/schema/events", new { type = "track", name = "Never Sent", archived = true });
        var badType = await _api.GetAsync($"sources/{_sourceId}/schema?type=tracks");
        var badWindow = await _api.GetAsync($"sources/{_sourceId}/violations?window=2h");

        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badType.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badWindow.StatusCode);
    }

    [Fact]
    public async Task TheViolationsRoutesGroupViolationsByEventAndShowRecentSamples()
    {
        _directory.Set(new SourceProtocols(_sourceId, "tp_1", "Web plan", PlanCompiler.Compile([StageHarness.Track("Order Completed", """
            {"type":"object","properties":{"properties":{"type":"object","required":["order_id"],"properties":{"order_id":{"type":"string"}}}}}
            """)]), SourceSchemaSettings.Default, [], new Dictionary<string, IReadOnlyList<CompiledTransformation>>()));

        await SendAsync("""
            {"batch":[
              {"type":"track","event":"Order Completed","userId":"u1","messageId":"m-1","properties":{"order_id":7}},
              {"type":"track","event":"Order Completed","userId":"u2","messageId":"m-2","properties":{}},
              {"type":"track","event":"Order Completed","userId":"u3","messageId":"m-3","properties":{"order_id":"ok"}}
            ]}
            """);

        var data = await Eventually.GetAsync(async () =>
        {
            var d = await DataAsync($"sources/{_sourceId}/violations?window=1h");
            return d.GetProperty("total").GetInt64() == 2 ? new[] { d } : null;
        }, Timeout, "two violations");
        var order = data[0].GetProperty("events").EnumerateArray().Single();
        Assert.Equal(("track", "Order Completed", 2L), (order.GetProperty("eventType").GetString(), order.GetProperty("eventName").GetString(), order.GetProperty("total").GetInt64()));
        Assert.Equal([ViolationTypes.InvalidType, ViolationTypes.Required],
            order.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("violationType").GetString()).Order(StringComparer.Ordinal));

        var samples = (await DataAsync($"sources/{_sourceId}/violations/samples?type=track&name=Order%20Completed")).GetProperty("samples");
        Assert.Equal(["m-1", "m-2"], samples.EnumerateArray().Select(s => s.GetProperty("messageId").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Object, samples[0].GetProperty("event").ValueKind);
    }

    private async Task SendAsync(string batch)
    {
        using var response = await _server.PostTrackingAsync("v1/batch", batch, _writeKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<JsonElement>> DebuggerAsync(string sourceId) =>
        [.. (await DataAsync($"sources/{sourceId}/debugger/events?count=100")).GetProperty("events").EnumerateArray()];

    private async Task<JsonElement> DataAsync(string path)
    {
        using var response = await _api.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await DataOfAsync(response);
    }

    private static async Task<JsonElement> DataOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
}
