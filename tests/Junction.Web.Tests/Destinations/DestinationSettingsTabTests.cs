using Bunit;

namespace Junction.Web.Tests.Destinations;

/// <summary>
/// The Settings tab of a destination, rendered in its frame against the real DestinationService: every setting type,
/// secrets kept unless replaced, the refusal to enable without a required setting, and what a reader sees.
/// </summary>
public sealed class DestinationSettingsTabTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private DestinationWorkspace? _workspace;

    [Fact]
    public async Task EachSettingIsShownByItsTypeAndSavedAsThatType()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync(new { token = "tok-secret-0001" });
        var tab = workspace.RenderSettings(id, workspace.Owner);

        Assert.Equal("text", tab.Find("#setting-account").GetAttribute("type"));
        Assert.Equal("textarea", tab.Find("#setting-notes").TagName.ToLowerInvariant());
        Assert.Equal("••••0001", tab.Find("#setting-token").GetAttribute("value"));
        Assert.NotNull(tab.Find("[data-setting=verbose] input[type=checkbox]"));
        Assert.Contains("Region", tab.Find("[data-setting=region]").TextContent, StringComparison.Ordinal);
        Assert.Equal("textarea", tab.Find("#setting-extra").TagName.ToLowerInvariant());
        Assert.Contains("Advanced", tab.Find("details.jn-dst-advanced summary").TextContent, StringComparison.Ordinal);
        Assert.Equal("https://api.every-type.example.com", tab.Find("#setting-baseUrl").GetAttribute("placeholder"));

        tab.Find("#setting-account").Input("acme");
        tab.Find("#setting-notes").Input("two\nlines");
        tab.Find("#setting-ratio").Input("2.5");
        tab.Find("#setting-limit").Input("100");
        tab.Find("[data-setting=verbose] input").Change(true);
        tab.Find("#setting-extra").Input("""{"team": "growth"}""");
        tab.Find("#setting-baseUrl").Input("https://proxy.example.com");
        tab.Find("[data-test=save-settings]").Click();

        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-settings]").HasAttribute("disabled")), Patience);
        var (_, stored) = await workspace.StoredAsync(id);
        Assert.Equal("acme", stored["account"]!.GetValue<string>());
        Assert.Equal("two\nlines", stored["notes"]!.GetValue<string>());
        Assert.Equal(2.5m, stored["ratio"]!.GetValue<decimal>());
        Assert.Equal(100, stored["limit"]!.GetValue<long>());
        Assert.True(stored["verbose"]!.GetValue<bool>());
        Assert.Equal("us", stored["region"]!.GetValue<string>());
        Assert.Equal("growth", stored["extra"]!["team"]!.GetValue<string>());
        Assert.Equal("https://proxy.example.com", stored["baseUrl"]!.GetValue<string>());
        Assert.Equal("tok-secret-0001", stored["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASavedSecretIsShownMaskedAndKeptUntilItIsReplaced()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync(new { token = "first-secret-abcd" });
        var tab = workspace.RenderSettings(id, workspace.Owner);

        Assert.True(tab.Find("#setting-token").HasAttribute("readonly"));
        Assert.DoesNotContain("first-secret", tab.Markup, StringComparison.Ordinal);
        tab.Find("#setting-account").Input("acme");
        tab.Find("[data-test=save-settings]").Click();
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-settings]").HasAttribute("disabled")), Patience);
        Assert.Equal("first-secret-abcd", (await workspace.StoredAsync(id)).Settings["token"]!.GetValue<string>());

        tab.Find("[data-test=replace-secret]").Click();
        Assert.Equal("password", tab.Find("#setting-token").GetAttribute("type"));
        tab.Find("#setting-token").Input("second-secret-wxyz");
        tab.Find("[data-test=save-settings]").Click();

        tab.WaitForAssertion(() => Assert.Equal("••••wxyz", tab.Find("#setting-token").GetAttribute("value")), Patience);
        Assert.Equal("second-secret-wxyz", (await workspace.StoredAsync(id)).Settings["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task EnablingWithoutARequiredSettingIsRefusedAndTheSettingIsNamed()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync();
        var tab = workspace.RenderSettings(id, workspace.Owner);
        Assert.Contains("fill in and save Token first", tab.Find("[data-test=enable-needs]").TextContent, StringComparison.Ordinal);

        tab.Find("[data-test=enabled] input").Change(true);

        tab.WaitForAssertion(() => Assert.Contains("Token is required", tab.Find("[data-test=enable-problem]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains("required while the destination is enabled", tab.Find("[data-setting=token]").TextContent, StringComparison.Ordinal);
        Assert.False((await workspace.StoredAsync(id)).Enabled);

        tab.Find("#setting-token").Input("now-it-is-set");
        tab.Find("[data-test=save-settings]").Click();
        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-test=enable-needs]")), Patience);
        tab.Find("[data-test=enabled] input").Change(true);

        tab.WaitForAssertion(() => Assert.Contains("Enabled", tab.Find(".jn-page-actions").TextContent, StringComparison.Ordinal), Patience);
        Assert.True((await workspace.StoredAsync(id)).Enabled);
    }

    [Fact]
    public async Task ANumberOrJsonThatDoesNotParseIsExplainedAndNothingCanBeSaved()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync();
        var tab = workspace.RenderSettings(id, workspace.Owner);

        // Each input is checked as it is typed; the field's own handler may finish its render a moment later on a
        // busy machine, so each check waits for it.
        tab.Find("#setting-extra").Input("{\"team\": ");
        tab.WaitForAssertion(() => Assert.Contains("This is not valid JSON", tab.Find("[data-setting=extra]").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(tab.Find("[data-test=save-settings]").HasAttribute("disabled"));

        tab.Find("#setting-extra").Input("42");
        tab.WaitForAssertion(() => Assert.Contains("Enter a JSON object", tab.Find("[data-setting=extra]").TextContent, StringComparison.Ordinal), Patience);

        tab.Find("#setting-extra").Input("[1, 2]");
        tab.Find("#setting-limit").Input("ten");
        tab.WaitForAssertion(() => Assert.Contains("Enter a whole number", tab.Find("[data-setting=limit]").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(tab.Find("[data-test=save-settings]").HasAttribute("disabled"));

        tab.Find("#setting-limit").Input("10");
        tab.WaitForAssertion(() => Assert.False(tab.Find("[data-test=save-settings]").HasAttribute("disabled")), Patience);
    }

    [Fact]
    public async Task ARefusalOfTheServiceIsShownNextToItsSetting()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync();
        var tab = workspace.RenderSettings(id, workspace.Owner);

        tab.Find("#setting-baseUrl").Input("ftp://files.example.com");
        tab.Find("[data-test=save-settings]").Click();

        tab.WaitForAssertion(
            () => Assert.Contains("must be an http(s) URL", tab.Find("[data-setting=baseUrl]").TextContent, StringComparison.Ordinal), Patience);
        Assert.False((await workspace.StoredAsync(id)).Settings.ContainsKey("baseUrl"));
    }

    [Fact]
    public async Task WhoMayOnlyReadTheDestinationSeesItsSettingsWithoutAnyAction()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateAsync(new { token = "reader-cannot-see-1234", account = "acme" });

        var tab = workspace.RenderSettings(id, workspace.Reader);

        Assert.Contains("needs Source Admin on its source", tab.Find("[data-test=settings-read-only]").TextContent, StringComparison.Ordinal);
        Assert.True(tab.Find("#destination-name").HasAttribute("readonly"));
        Assert.True(tab.Find("#setting-account").HasAttribute("readonly"));
        Assert.Equal("acme", tab.Find("#setting-account").GetAttribute("value"));
        Assert.Equal("••••1234", tab.Find("#setting-token").GetAttribute("value"));
        Assert.True(tab.Find("[data-test=enabled] input").HasAttribute("disabled"));
        Assert.True(tab.Find("[data-setting=verbose] input").HasAttribute("disabled"));
        foreach (var action in new[] { "rename", "save-settings", "replace-secret", "delete" })
        {
            Assert.Empty(tab.FindAll($"[data-test={action}]"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private async Task<DestinationWorkspace> StartAsync() => _workspace = await DestinationWorkspace.StartAsync();
}
