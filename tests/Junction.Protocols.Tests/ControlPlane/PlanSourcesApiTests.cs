using Junction.Testing;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// Sources connected to tracking plans through the Public API: Segment's paths and <c>SourceV1</c> shape, a source has
/// at most one plan, connecting again changes nothing, disconnecting, and other workspaces' sources are not found.
/// </summary>
public sealed class PlanSourcesApiTests : IAsyncLifetime
{
    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ProtocolsApiClient.StartAsync();
        _api = await _server.CreateApiClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AConnectedSourceIsListedInSegmentsSourceShapeAndItsEventsGetThePlan()
    {
        var (sourceId, writeKey) = await _server.CreateSourceAsync("web");
        var plan = await _api.CreatePlanAsync();

        var connected = await _api.PostJsonAsync($"tracking-plans/{plan}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);
        Assert.Equal("""{"status":"SUCCESS"}""", connected.GetRawText());

        var page = await _api.GetAsync($"tracking-plans/{plan}/sources").DataAsync();
        var source = Assert.Single(page.GetProperty("sources").EnumerateArray());
        Assert.Equal((sourceId, "web", true), (source.GetProperty("id").GetString(), source.GetProperty("slug").GetString(), source.GetProperty("enabled").GetBoolean()));
        Assert.Equal([writeKey], source.GetProperty("writeKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("IqDTy1TpoU", source.GetProperty("metadata").GetProperty("id").GetString());
        Assert.Equal(1, page.GetProperty("pagination").GetProperty("totalEntries").GetInt32());

        var protocols = _server.Directory().ForSource(sourceId)!;
        Assert.Equal((plan, "Web plan"), (protocols.TrackingPlanId, protocols.TrackingPlanName));
        Assert.NotNull(protocols.Plan);
    }

    [Fact]
    public async Task ASourceHasAtMostOnePlan()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var first = await _api.CreatePlanAsync("First");
        var second = await _api.CreatePlanAsync("Second");
        await _api.PostJsonAsync($"tracking-plans/{first}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);

        // Again to the same plan: nothing changes.
        await _api.PostJsonAsync($"tracking-plans/{first}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);
        var error = await _api.PostJsonAsync($"tracking-plans/{second}/sources", $$"""{"sourceId":"{{sourceId}}"}""").ErrorAsync(409);

        Assert.Equal("sourceId", error.GetProperty("field").GetString());
        Assert.Contains($"\"First\" ({first})", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await _api.GetAsync($"tracking-plans/{second}/sources").DataAsync()).GetProperty("sources").EnumerateArray());
        Assert.Equal(first, _server.Directory().ForSource(sourceId)!.TrackingPlanId);
    }

    [Fact]
    public async Task DisconnectingTakesThePlanOffTheSourceAndASecondTimeIsNotFound()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var plan = await _api.CreatePlanAsync();
        await _api.PostJsonAsync($"tracking-plans/{plan}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);

        var status = await _api.DeleteAsync($"tracking-plans/{plan}/sources?sourceId={sourceId}").DataAsync();

        Assert.Equal("SUCCESS", status.GetProperty("status").GetString());
        Assert.Null(_server.Directory().ForSource(sourceId));
        Assert.Empty((await _api.GetAsync($"tracking-plans/{plan}/sources").DataAsync()).GetProperty("sources").EnumerateArray());
        var again = await _api.DeleteAsync($"tracking-plans/{plan}/sources?sourceId={sourceId}").ErrorAsync(404);
        Assert.Equal("sourceId", again.GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnknownOrForeignSourcesAreNotFoundAndAMissingSourceIdIsNamed()
    {
        var plan = await _api.CreatePlanAsync();
        var (_, foreignSource) = await _server.AddOtherWorkspaceAsync();

        await _api.PostJsonAsync($"tracking-plans/{plan}/sources", $$"""{"sourceId":"{{foreignSource}}"}""").ErrorAsync(404);
        await _api.PostJsonAsync($"tracking-plans/{plan}/sources", """{"sourceId":"src_nope"}""").ErrorAsync(404);
        await _api.DeleteAsync($"tracking-plans/{plan}/sources?sourceId={foreignSource}").ErrorAsync(404);
        var missing = await _api.PostJsonAsync($"tracking-plans/{plan}/sources", "{}").ErrorAsync(422);
        Assert.Equal("sourceId", missing.GetProperty("field").GetString());
    }

    [Fact]
    public async Task DeletingASourceDisconnectsItFromItsPlan()
    {
        var (sourceId, _) = await _server.CreateSourceAsync("web");
        var plan = await _api.CreatePlanAsync();
        await _api.PostJsonAsync($"tracking-plans/{plan}/sources", $$"""{"sourceId":"{{sourceId}}"}""").DataAsync(201);

        await _api.DeleteAsync($"sources/{sourceId}").DataAsync();
        await _server.Directory().RefreshAsync(CancellationToken.None);

        Assert.Empty((await _api.GetAsync($"tracking-plans/{plan}/sources").DataAsync()).GetProperty("sources").EnumerateArray());
        Assert.Null(_server.Directory().ForSource(sourceId));
    }
}
