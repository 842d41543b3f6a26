using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests.Volume;

public sealed class VolumeApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _sourceId = "";
    private string _writeKey = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync();
        _api = await _server.CreateApiClientAsync();
        (_sourceId, _writeKey) = await _server.CreateSourceAsync("shop");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task VolumeIsGroupedBySourceTypeAndNameInSegmentsShape()
    {
        await _server.PostTrackingAsync("v1/batch", """
            {"batch":[
              {"type":"track","userId":"u1","event":"Order Completed"},
              {"type":"track","userId":"u2","event":"Order Completed"},
              {"type":"track","userId":"u2","event":"Cart Viewed"},
              {"type":"identify","userId":"u2"},
              {"type":"track","userId":"u3"}
            ]}
            """, _writeKey);
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-2).ToString("O"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        var query = $"events/volume?granularity=HOUR&startTime={start}&endTime={end}&groupBy%5B0%5D=source&groupBy%5B1%5D=eventType&groupBy%5B2%5D=eventName";

        JsonElement data = default;
        await Eventually.TrueAsync(async () =>
        {
            data = (await _api.GetFromJsonAsync<JsonElement>(query)).GetProperty("data");
            return data.GetProperty("result").EnumerateArray().Sum(r => r.GetProperty("total").GetInt64()) == 4;
        }, TimeSpan.FromSeconds(20), "four accepted events in the volume");

        Assert.Equal("/events/volume", data.GetProperty("path").GetString());
        Assert.Equal("HOUR", data.GetProperty("query").GetProperty("granularity").GetString());
        var results = data.GetProperty("result").EnumerateArray().ToList();
        var orders = results.Single(r => r.GetProperty("eventName").GetString() == "Order Completed");
        Assert.Equal(2, orders.GetProperty("total").GetInt64());
        Assert.Equal("track", orders.GetProperty("eventType").GetString());
        Assert.Equal(_sourceId, orders.GetProperty("source").GetProperty("id").GetString());
        Assert.Equal("shop", orders.GetProperty("source").GetProperty("slug").GetString());
        Assert.InRange(orders.GetProperty("series").GetArrayLength(), 3, 4);
        Assert.Equal(2, orders.GetProperty("series").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));

        var rejected = (await _api.GetFromJsonAsync<JsonElement>(query + "&status=REJECTED")).GetProperty("data").GetProperty("result");
        Assert.Equal(1, rejected.EnumerateArray().Sum(r => r.GetProperty("total").GetInt64()));
    }

    [Fact]
    public async Task BadQueriesAreAnswered422NamingTheParameter()
    {
        var now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        var noGranularity = await _api.GetAsync($"events/volume?startTime={now}&endTime={now}");
        var badGroup = await _api.GetAsync($"events/volume?granularity=DAY&startTime=2026-01-01T00:00:00Z&endTime=2026-01-02T00:00:00Z&groupBy=color");
        var tooMany = await _api.GetAsync($"events/volume?granularity=MINUTE&startTime=2020-01-01T00:00:00Z&endTime=2026-01-01T00:00:00Z");

        foreach (var (response, field) in new[] { (noGranularity, "granularity"), (badGroup, "groupBy"), (tooMany, "startTime") })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
            Assert.Equal(field, error.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task TheDebuggerAndVolumeNeedAToken()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http.GetAsync($"api/sources/{_sourceId}/debugger/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http.GetAsync("api/events/volume?granularity=DAY")).StatusCode);
    }
}
