using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests.Debugger;

/// <summary>The debugger and event volume show a source's events only to those who may read the source.</summary>
public sealed class DebuggerAccessTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _owner = null!;
    private string _shop = "";
    private string _shopKey = "";
    private string _blog = "";
    private string _blogKey = "";

    public async ValueTask InitializeAsync()
    {
        _server = await JunctionTestServer.StartAsync();
        _owner = await _server.CreateApiClientAsync();
        (_shop, _shopKey) = await _server.CreateSourceAsync("shop");
        (_blog, _blogKey) = await _server.CreateSourceAsync("blog");
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WhenTheCallerMayReadTheSourceItsDebuggerAnswersAndOtherwiseTheAnswerIs403()
    {
        using var shopReader = await _server.CreateApiClientWithRoleAsync("source-read-only", [_shop]);
        using var member = await _server.CreateApiClientWithRoleAsync("workspace-member");

        Assert.Equal(HttpStatusCode.OK, (await shopReader.GetAsync($"sources/{_shop}/debugger/events")).StatusCode);
        foreach (var (client, source) in new[] { (shopReader, _blog), (member, _shop) })
        {
            foreach (var path in new[] { "events", "stream" })
            {
                using var response = await client.GetAsync($"sources/{source}/debugger/{path}", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
                Assert.Equal("forbidden", error.GetProperty("type").GetString());
                Assert.Contains("Source Read-only", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task WhenTheCallerMayReadOnlySomeSourcesTheVolumeCountsOnlyThose()
    {
        using var shopReader = await _server.CreateApiClientWithRoleAsync("source-read-only", [_shop]);
        using var member = await _server.CreateApiClientWithRoleAsync("workspace-member");
        await _server.PostTrackingAsync("v1/track", """{"userId":"u1","event":"Bought"}""", _shopKey);
        await _server.PostTrackingAsync("v1/batch", """{"batch":[{"type":"track","userId":"u1","event":"Read"},{"type":"track","userId":"u2","event":"Read"}]}""", _blogKey);
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-2).ToString("O"));
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        var query = $"events/volume?granularity=HOUR&startTime={start}&endTime={end}&groupBy%5B0%5D=source";
        await Eventually.TrueAsync(async () => Total(await _owner.GetFromJsonAsync<JsonElement>(query)) == 3, TimeSpan.FromSeconds(20), "three events counted");

        var readerView = await shopReader.GetFromJsonAsync<JsonElement>(query);
        var askedForBlog = await shopReader.GetFromJsonAsync<JsonElement>(query + "&sourceId%5B0%5D=" + _blog);
        var memberView = await member.GetFromJsonAsync<JsonElement>(query);

        Assert.Equal(1, Total(readerView));
        Assert.Equal([_shop], readerView.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => r.GetProperty("source").GetProperty("id").GetString()));
        Assert.Equal(0, Total(askedForBlog));
        Assert.Equal(0, Total(memberView));
    }

    private static long Total(JsonElement body) =>
        body.GetProperty("data").GetProperty("result").EnumerateArray().Sum(r => r.GetProperty("total").GetInt64());
}
