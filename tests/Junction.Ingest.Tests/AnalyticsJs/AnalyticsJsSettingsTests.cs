using System.Net;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Ingest.Tests.AnalyticsJs;

public sealed class AnalyticsJsSettingsTests
{
    [Fact]
    public async Task TheSettingsPointTheSegmentIoDestinationAtThisServer()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();

        using var response = await server.Http.GetAsync($"v1/projects/{writeKey}/settings", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        var authority = server.BaseAddress.Authority;

        var segment = root.GetProperty("integrations").GetProperty("Segment.io");
        Assert.Single(root.GetProperty("integrations").EnumerateObject());
        Assert.Equal(writeKey, segment.GetProperty("apiKey").GetString());
        Assert.Equal($"{authority}/v1", segment.GetProperty("apiHost").GetString());
        Assert.Equal("http", segment.GetProperty("protocol").GetString());
        Assert.Empty(segment.GetProperty("unbundledIntegrations").EnumerateArray());
        Assert.True(segment.GetProperty("addBundledMetadata").GetBoolean());
        Assert.Empty(segment.GetProperty("maybeBundledConfigIds").EnumerateObject());
        Assert.Equal("4.4.7", segment.GetProperty("versionSettings").GetProperty("version").GetString());
        Assert.Equal(["browser"], segment.GetProperty("versionSettings").GetProperty("componentTypes").EnumerateArray().Select(e => e.GetString()));

        var plan = root.GetProperty("plan");
        Assert.True(plan.GetProperty("track").GetProperty("__default").GetProperty("enabled").GetBoolean());
        Assert.Empty(plan.GetProperty("track").GetProperty("__default").GetProperty("integrations").EnumerateObject());
        Assert.True(plan.GetProperty("identify").GetProperty("__default").GetProperty("enabled").GetBoolean());
        Assert.True(plan.GetProperty("group").GetProperty("__default").GetProperty("enabled").GetBoolean());
        Assert.Empty(root.GetProperty("edgeFunction").EnumerateObject());
        Assert.True(root.GetProperty("analyticsNextEnabled").GetBoolean());
        Assert.Empty(root.GetProperty("middlewareSettings").EnumerateObject());
        Assert.Empty(root.GetProperty("enabledMiddleware").EnumerateObject());
        Assert.Equal(0, root.GetProperty("metrics").GetProperty("sampleRate").GetDouble());
        Assert.Equal($"{authority}/v1", root.GetProperty("metrics").GetProperty("host").GetString());
        Assert.False(root.GetProperty("legacyVideoPluginsEnabled").GetBoolean());
        Assert.Empty(root.GetProperty("remotePlugins").EnumerateArray());
    }

    [Fact]
    public async Task TheSettingsAnswerCrossOriginRequests()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/projects/{writeKey}/settings");
        request.Headers.Add("Origin", "http://shop.example");

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://shop.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task AConfiguredPublicUrlWinsOverTheRequest()
    {
        await using var server = await JunctionTestServer.StartAsync(settings: [("Junction:PublicUrl", "https://data.example.com/junction/")]);
        var (_, writeKey) = await server.CreateSourceAsync();

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync($"v1/projects/{writeKey}/settings", TestContext.Current.CancellationToken));

        var segment = json.RootElement.GetProperty("integrations").GetProperty("Segment.io");
        Assert.Equal("data.example.com/junction/v1", segment.GetProperty("apiHost").GetString());
        Assert.Equal("https", segment.GetProperty("protocol").GetString());
        Assert.Equal("data.example.com/junction/v1", json.RootElement.GetProperty("metrics").GetProperty("host").GetString());
    }

    [Fact]
    public async Task WithoutAPublicUrlTheHostTheBrowserUsedIsAnswered()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/projects/{writeKey}/settings");
        request.Headers.Host = $"localhost:{server.BaseAddress.Port}";

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"localhost:{server.BaseAddress.Port}/v1", json.RootElement.GetProperty("integrations").GetProperty("Segment.io").GetProperty("apiHost").GetString());
    }

    [Fact]
    public async Task AnUnknownWriteKeyIsAnswered404WithAReason()
    {
        await using var server = await JunctionTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/projects/not-a-key/settings");
        request.Headers.Add("Origin", "http://shop.example");

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("http://shop.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(json.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("unknown_write_key", json.RootElement.GetProperty("code").GetString());
        Assert.Contains("not-a-key", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledSourceStillGetsItsSettings()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (_, writeKey) = await server.CreateSourceAsync(enabled: false);

        using var response = await server.Http.GetAsync($"v1/projects/{writeKey}/settings", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("data.example.com")]
    [InlineData("ftp://data.example.com")]
    [InlineData("https://data.example.com/?a=b")]
    public async Task AnInvalidPublicUrlStopsTheServerFromStartingAndNamesTheKey(string publicUrl)
    {
        using var data = new TempDirectory();

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => JunctionTestServer.StartAsync(dataDirectory: data.Path, settings: [("Junction:PublicUrl", publicUrl)]));

        Assert.Contains("Junction:PublicUrl", error.Message, StringComparison.Ordinal);
    }
}
