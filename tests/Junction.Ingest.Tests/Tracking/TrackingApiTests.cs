using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests.Tracking;

public sealed class TrackingApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _sourceId = "";
    private string _writeKey = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync(settings: [("Tracking:MaxBatchEvents", "5")]);
        _api = await _server.CreateApiClientAsync();
        (_sourceId, _writeKey) = await _server.CreateSourceAsync("website");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ATrackCallWithBasicAuthIsAnsweredSuccessAndShownNormalizedInTheDebugger()
    {
        var response = await _server.PostTrackingAsync("v1/track", """{"userId":"u1","event":"Order Completed","messageId":"m-basic","properties":{"total":30}}""", _writeKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"success":true}""", await response.Content.ReadAsStringAsync());
        var entry = (await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-basic"))!.Value;
        Assert.Equal("accepted", entry.GetProperty("status").GetString());
        Assert.Equal("track", entry.GetProperty("type").GetString());
        Assert.Equal("Order Completed", entry.GetProperty("name").GetString());
        Assert.Equal(30, entry.GetProperty("raw").GetProperty("properties").GetProperty("total").GetInt32());
        var normalized = entry.GetProperty("event");
        Assert.Equal(_sourceId, normalized.GetProperty("projectId").GetString());
        Assert.True(normalized.TryGetProperty("receivedAt", out _));
    }

    [Fact]
    public async Task TheWriteKeyMayComeInTheBodyAndTheBodyIsReadAsJsonWhateverTheContentType()
    {
        var response = await _server.PostTrackingAsync(
            "v1/p", $$$"""{"writeKey":"{{{_writeKey}}}","anonymousId":"a1","messageId":"m-text-plain","properties":{"path":"/"}}""", null, "text/plain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-text-plain"))!.Value;
        Assert.Equal("page", entry.GetProperty("type").GetString());
        Assert.Equal("browser", entry.GetProperty("event").GetProperty("channel").GetString());
        Assert.False(entry.GetProperty("event").TryGetProperty("writeKey", out _));
    }

    [Fact]
    public async Task AGzipBodyIsDecompressed()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("""{"batch":[{"type":"identify","userId":"u-gz","messageId":"m-gzip","traits":{"plan":"pro"}}]}"""));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/batch") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_writeKey + ":")));

        var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-gzip");
    }

    [Fact]
    public async Task ABatchKeepsItsGoodEventsAndListsEachRefusedOneWithItsReason()
    {
        var response = await _server.PostTrackingAsync("v1/batch", """
            {"batch":[
              {"type":"track","userId":"u1","event":"Signed Up","messageId":"m-good-1"},
              {"type":"track","userId":"u1","messageId":"m-no-event"},
              {"type":"identify","messageId":"m-no-id"},
              {"type":"page","anonymousId":"a1","messageId":"m-good-2"}
            ],"context":{"library":{"name":"curl"}}}
            """, _writeKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("success").GetBoolean());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["event_not_defined", "no_user_anon_id"], rejected.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal("m-no-event", rejected[0].GetProperty("messageId").GetString());

        var good = (await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-good-2"))!.Value;
        Assert.Equal("curl", good.GetProperty("event").GetProperty("context").GetProperty("library").GetProperty("name").GetString());
        var refused = (await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-no-event"))!.Value;
        Assert.Equal("rejected", refused.GetProperty("status").GetString());
        Assert.Equal("event", refused.GetProperty("reason").GetProperty("field").GetString());
    }

    [Fact]
    public async Task EventsBeyondTheBatchLimitAreRefusedOneByOne()
    {
        var items = string.Join(',', Enumerable.Range(0, 7).Select(i => $$"""{"type":"track","userId":"u","event":"E","messageId":"m-limit-{{i}}"}"""));

        var response = await _server.PostTrackingAsync("v1/batch", $$"""{"batch":[{{items}}]}""", _writeKey);

        var rejected = (await response.JsonAsync()).GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([5, 6], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(rejected, r => Assert.Equal("batch_too_many_events", r.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task ASingleCallThatBreaksTheSpecIsAnswered400NamingTheField()
    {
        var response = await _server.PostTrackingAsync("v1/group", """{"userId":"u1","traits":{"name":"Acme"}}""", _writeKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("groupId_required", body.GetProperty("code").GetString());
        Assert.Equal("groupId", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnknownAndMissingWriteKeysAre401AndADisabledSourceIs403()
    {
        var unknown = await _server.PostTrackingAsync("v1/track", """{"userId":"u","event":"E"}""", "no-such-key");
        var missing = await _server.PostTrackingAsync("v1/track", """{"userId":"u","event":"E"}""", null);
        var (_, disabledKey) = await _server.CreateSourceAsync("disabled", enabled: false);
        var disabled = await _server.PostTrackingAsync("v1/track", """{"userId":"u","event":"E"}""", disabledKey);

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("unknown_write_key", (await unknown.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("write_key_missing", (await missing.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Equal("source_disabled", (await disabled.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task BodiesOverTheSizeLimitsAre400()
    {
        var bigSingle = $$$"""{"userId":"u","event":"E","properties":{"x":"{{{new string('x', 33 * 1024)}}}"}}""";
        var bigBatch = $$$"""{"batch":[{"type":"track","userId":"u","event":"E","properties":{"x":"{{{new string('x', 501 * 1024)}}}"}}]}""";

        var single = await _server.PostTrackingAsync("v1/track", bigSingle, _writeKey);
        var batch = await _server.PostTrackingAsync("v1/batch", bigBatch, _writeKey);

        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Equal("body_too_large", (await single.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.Equal("body_too_large", (await batch.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ABrowserPreflightIsAllowedWithTheHeadersAnalyticsJsSends()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/t");
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,x-retry-count");

        var response = await _server.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("https://shop.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-retry-count", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.True(int.Parse(response.Headers.GetValues("Access-Control-Max-Age").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        using var post = new HttpRequestMessage(HttpMethod.Post, "v1/t") { Content = new StringContent($$"""{"writeKey":"{{_writeKey}}","anonymousId":"a","event":"E"}""") };
        post.Headers.Add("Origin", "https://shop.example");
        var posted = await _server.Http.SendAsync(post);
        Assert.Equal("https://shop.example", posted.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task BrowserTelemetryIsAcceptedAndIgnored()
    {
        var response = await _server.PostTrackingAsync("v1/m", """{"series":[{"type":"Counter","metric":"analytics_js.invoke","value":1}]}""", null, "text/plain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ThePixelAnswersAGifAndRecordsTheEvent()
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$"""{"writeKey":"{{_writeKey}}","userId":"u-mail","event":"Email Opened","messageId":"m-pixel"}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var response = await _server.Http.GetAsync($"v1/pixel/track?data={data}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType?.MediaType);
        await _api.WaitForDebuggerEventAsync(_sourceId, e => e.GetProperty("messageId").GetString() == "m-pixel");

        var broken = await _server.Http.GetAsync("v1/pixel/track?data=%%%");
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPathUnderV1Is404WithAClearMessage()
    {
        var response = await _server.PostTrackingAsync("v1/purchase", "{}", _writeKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("/v1/track", (await response.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLiveStreamDeliversEachEventAsItArrives()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"sources/{_sourceId}/debugger/stream");
        using var response = await _api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        Assert.StartsWith(":", await reader.ReadLineAsync());

        await _server.PostTrackingAsync("v1/track", """{"userId":"u","event":"Live","messageId":"m-live"}""", _writeKey);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? data = null;
        while (data is null)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line?.StartsWith("data: ", StringComparison.Ordinal) == true)
            {
                data = line[6..];
            }
        }

        var entry = JsonDocument.Parse(data).RootElement;
        Assert.Equal("m-live", entry.GetProperty("messageId").GetString());
    }
}
