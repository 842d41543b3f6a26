using Junction.Protocols.Controls;
using Junction.Testing;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// A source's schema controls at <c>/sources/{sourceId}/settings</c>: Segment's shape with its defaults, partial
/// changes, Segment's enum names per call type, forwarding targets (set, off, refused), and the processor's view.
/// </summary>
public sealed class SchemaSettingsApiTests : IAsyncLifetime
{
    private const string Defaults = """
        {"track":{"allowUnplannedEvents":true,"allowUnplannedEventProperties":true,"allowEventOnViolations":true,"allowPropertiesOnViolations":true,"commonEventOnViolations":"ALLOW"},"identify":{"allowUnplannedTraits":true,"allowTraitsOnViolations":true,"commonEventOnViolations":"ALLOW"},"group":{"allowUnplannedTraits":true,"allowTraitsOnViolations":true,"commonEventOnViolations":"ALLOW"}}
        """;

    private JunctionTestServer _server = null!;
    private HttpClient _api = null!;
    private string _source = "";
    private string _quarantine = "";

    public async ValueTask InitializeAsync()
    {
        _server = await ProtocolsApiClient.StartAsync();
        _api = await _server.CreateApiClientAsync();
        (_source, _) = await _server.CreateSourceAsync("web");
        (_quarantine, _) = await _server.CreateSourceAsync("quarantine");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ASourceNeverConfiguredHasTheDefaultsThatAllowEverything()
    {
        var data = await _api.GetAsync($"sources/{_source}/settings").DataAsync();

        Assert.Equal(_source, data.GetProperty("sourceId").GetString());
        Assert.Equal(Defaults.Trim(), data.GetProperty("settings").GetRawText());
        Assert.Null(_server.Directory().ForSource(_source));
    }

    [Fact]
    public async Task APatchChangesOnlyWhatItSendsAndReadsBackTheSame()
    {
        var first = await _api.PatchJsonAsync($"sources/{_source}/settings", $$"""
            {"track":{"allowUnplannedEvents":false,"commonEventOnViolations":"OMIT_PROPERTIES"},"group":{"commonEventOnViolations":"OMIT_TRAITS"},
             "forwardingBlockedEventsTo":"{{_quarantine}}"}
            """).DataAsync();
        var second = await _api.PatchJsonAsync($"sources/{_source}/settings", """
            {"track":{"allowPropertiesOnViolations":false},"identify":{"allowUnplannedTraits":false,"commonEventOnViolations":"BLOCK"}}
            """).DataAsync();

        var track = second.GetProperty("settings").GetProperty("track");
        Assert.Equal((false, true, true, false, "OMIT_PROPERTIES"),
            (track.GetProperty("allowUnplannedEvents").GetBoolean(), track.GetProperty("allowUnplannedEventProperties").GetBoolean(),
             track.GetProperty("allowEventOnViolations").GetBoolean(), track.GetProperty("allowPropertiesOnViolations").GetBoolean(),
             track.GetProperty("commonEventOnViolations").GetString()));
        var identify = second.GetProperty("settings").GetProperty("identify");
        Assert.Equal((false, true, "BLOCK"), (identify.GetProperty("allowUnplannedTraits").GetBoolean(),
            identify.GetProperty("allowTraitsOnViolations").GetBoolean(), identify.GetProperty("commonEventOnViolations").GetString()));
        Assert.Equal("OMIT_TRAITS", second.GetProperty("settings").GetProperty("group").GetProperty("commonEventOnViolations").GetString());
        Assert.Equal(_quarantine, second.GetProperty("settings").GetProperty("forwardingBlockedEventsTo").GetString());
        Assert.False(second.GetProperty("settings").TryGetProperty("forwardingViolationsTo", out _));
        Assert.Equal(_quarantine, first.GetProperty("settings").GetProperty("forwardingBlockedEventsTo").GetString());

        var read = await _api.GetAsync($"sources/{_source}/settings").DataAsync();
        Assert.Equal(second.ToString(), read.ToString());

        var settings = _server.Directory().ForSource(_source)!.Settings;
        Assert.Equal(new TrackControls(false, true, true, false, CommonViolationAction.Omit), settings.Track);
        Assert.Equal(new TraitsControls(false, true, CommonViolationAction.Block), settings.Identify);
        Assert.Equal(new TraitsControls(true, true, CommonViolationAction.Omit), settings.Group);
        Assert.Equal((_quarantine, (string?)null), (settings.ForwardingBlockedEventsTo, settings.ForwardingViolationsTo));
        Assert.Null(_server.Directory().ForSource(_source)!.Plan);

        var audit = (await _api.GetAsync($"audit-events?resourceId={_source}").DataAsync()).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "Source Schema Settings Modified").ToList();
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public async Task ForwardingIsTurnedOffWithNullOrAnEmptyStringAndKeptWhenLeftOut()
    {
        await _api.PatchJsonAsync($"sources/{_source}/settings",
            $$"""{"forwardingBlockedEventsTo":"{{_quarantine}}","forwardingViolationsTo":"{{_quarantine}}"}""").DataAsync();

        var kept = await _api.PatchJsonAsync($"sources/{_source}/settings", """{"forwardingViolationsTo":null}""").DataAsync();
        Assert.Equal(_quarantine, kept.GetProperty("settings").GetProperty("forwardingBlockedEventsTo").GetString());
        Assert.False(kept.GetProperty("settings").TryGetProperty("forwardingViolationsTo", out _));

        var off = await _api.PatchJsonAsync($"sources/{_source}/settings", """{"forwardingBlockedEventsTo":""}""").DataAsync();
        Assert.Equal(Defaults.Trim(), off.GetProperty("settings").GetRawText());
        Assert.Null(_server.Directory().ForSource(_source));
    }

    [Theory]
    [InlineData("""{"track":{"allowUnplannedEvents":"no"}}""", "track.allowUnplannedEvents")]
    [InlineData("""{"track":{"commonEventOnViolations":"OMIT_TRAITS"}}""", "track.commonEventOnViolations")]
    [InlineData("""{"identify":{"commonEventOnViolations":"OMIT_PROPERTIES"}}""", "identify.commonEventOnViolations")]
    [InlineData("""{"group":{"allowTraitsOnViolations":1}}""", "group.allowTraitsOnViolations")]
    [InlineData("""{"track":true}""", "track")]
    [InlineData("""{"forwardingViolationsTo":7}""", "forwardingViolationsTo")]
    [InlineData("""{"forwardingViolationsTo":"src_nope"}""", "forwardingViolationsTo")]
    public async Task InvalidSettingsAreRefusedWith422NamingTheField(string body, string field)
    {
        var error = await _api.PatchJsonAsync($"sources/{_source}/settings", body).ErrorAsync(422);

        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal(Defaults.Trim(), (await _api.GetAsync($"sources/{_source}/settings").DataAsync()).GetProperty("settings").GetRawText());
    }

    [Fact]
    public async Task ASourceCannotForwardToItselfOrIntoAnotherWorkspace()
    {
        var (_, foreign) = await _server.AddOtherWorkspaceAsync();

        var itself = await _api.PatchJsonAsync($"sources/{_source}/settings", $$"""{"forwardingBlockedEventsTo":"{{_source}}"}""").ErrorAsync(422);
        var elsewhere = await _api.PatchJsonAsync($"sources/{_source}/settings", $$"""{"forwardingBlockedEventsTo":"{{foreign}}"}""").ErrorAsync(422);

        Assert.Equal("forwardingBlockedEventsTo", itself.GetProperty("field").GetString());
        Assert.Equal("forwardingBlockedEventsTo", elsewhere.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ForwardingIntoASourceNeedsSourceAdminOnItToo()
    {
        using var adminOfOne = await _server.ClientWithRolesAsync(("source-admin", [_source]));

        var error = await adminOfOne.PatchJsonAsync($"sources/{_source}/settings", $$"""{"forwardingBlockedEventsTo":"{{_quarantine}}"}""").ErrorAsync(403);
        await adminOfOne.PatchJsonAsync($"sources/{_source}/settings", """{"track":{"allowUnplannedEvents":false}}""").DataAsync();

        Assert.Contains("quarantine", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForwardingTargetDeletedSinceReadsAsNoForwarding()
    {
        await _api.PatchJsonAsync($"sources/{_source}/settings", $$$"""{"forwardingViolationsTo":"{{{_quarantine}}}","track":{"allowUnplannedEvents":false}}""").DataAsync();

        await _api.DeleteAsync($"sources/{_quarantine}").DataAsync();
        await _server.Directory().RefreshAsync(CancellationToken.None);

        var read = await _api.GetAsync($"sources/{_source}/settings").DataAsync();
        Assert.False(read.GetProperty("settings").TryGetProperty("forwardingViolationsTo", out _));
        Assert.Null(_server.Directory().ForSource(_source)!.Settings.ForwardingViolationsTo);
    }
}
