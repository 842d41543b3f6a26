using Junction.Testing;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// The workspace's naming conventions at <c>/protocols/settings</c>: Segment's recommendations by default, partial
/// changes by the engine's stable names, the choices listed, unknown names refused, and each workspace its own.
/// </summary>
public sealed class ProtocolsSettingsApiTests : IAsyncLifetime
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
    public async Task AWorkspaceStartsWithTitleCaseObjectActionEventsAndSnakeCaseProperties()
    {
        var data = await _api.GetAsync("protocols/settings").DataAsync();

        Assert.Equal("""{"eventNamingConvention":"title-case-object-action","propertyNamingConvention":"snake-case"}""",
            data.GetProperty("settings").GetRawText());
        var events = data.GetProperty("conventions").GetProperty("eventNaming").EnumerateArray().ToList();
        Assert.Equal(["title-case-object-action", "snake-case", "camel-case", "pascal-case"], events.Select(c => c.GetProperty("name").GetString()));
        Assert.Contains("Menu Clicked", events[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["snake-case", "camel-case", "pascal-case"],
            data.GetProperty("conventions").GetProperty("propertyNaming").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task APatchChangesWhatItSendsAndIsKeptPerWorkspace()
    {
        await _api.PatchJsonAsync("protocols/settings", """{"propertyNamingConvention":"camel-case"}""").DataAsync();
        var changed = await _api.PatchJsonAsync("protocols/settings", """{"eventNamingConvention":"pascal-case"}""").DataAsync();

        Assert.Equal("""{"eventNamingConvention":"pascal-case","propertyNamingConvention":"camel-case"}""", changed.GetProperty("settings").GetRawText());
        Assert.Equal(changed.ToString(), (await _api.GetAsync("protocols/settings").DataAsync()).ToString());
        var (other, _) = await _server.AddOtherWorkspaceAsync();
        Assert.Equal("title-case-object-action",
            (await other.GetAsync("protocols/settings").DataAsync()).GetProperty("settings").GetProperty("eventNamingConvention").GetString());
        var audit = (await _api.GetAsync("audit-events").DataAsync()).GetProperty("events").EnumerateArray();
        Assert.Equal(2, audit.Count(e => e.GetProperty("type").GetString() == "Protocols Settings Modified"));
    }

    [Theory]
    [InlineData("""{"eventNamingConvention":"Title Case"}""", "eventNamingConvention")]
    [InlineData("""{"propertyNamingConvention":"title-case-object-action"}""", "propertyNamingConvention")]
    public async Task AnUnknownConventionIsRefusedNamingTheFieldAndTheChoices(string body, string field)
    {
        var error = await _api.PatchJsonAsync("protocols/settings", body).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains("snake-case", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
