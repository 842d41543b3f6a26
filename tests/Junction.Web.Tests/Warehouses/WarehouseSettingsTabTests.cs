using Bunit;
using Junction.Web.Warehouses.Settings;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// A warehouse's Settings tab in its frame against the real WarehouseService: secrets masked and kept unless replaced,
/// name, enabled, schedule (interval and advanced hours) and schema freeze saved, sources connected and disconnected, deleting by name, testing the
/// saved settings, and what a reader sees.
/// </summary>
public sealed class WarehouseSettingsTabTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task ASavedPasswordIsShownMaskedAndKeptUntilItIsReplaced()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreatePostgresAsync("first-secret-abcd");
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);

        Assert.True(tab.Find("#warehouse-password").HasAttribute("readonly"));
        Assert.Equal("••••abcd", tab.Find("#warehouse-password").GetAttribute("value"));
        Assert.DoesNotContain("first-secret", tab.Markup, StringComparison.Ordinal);

        tab.Find("#warehouse-database").Input("reporting");
        tab.Find("[data-test=save-settings]").Click();
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-settings]").HasAttribute("disabled")), Patience);
        var (_, saved) = await workspace.StoredAsync(id);
        Assert.Equal(("reporting", "first-secret-abcd"), (saved["database"]!.GetValue<string>(), saved["password"]!.GetValue<string>()));

        tab.Find("[data-test=replace-secret]").Click();
        Assert.Equal("password", tab.Find("#warehouse-password").GetAttribute("type"));
        tab.Find("#warehouse-password").Input("second-secret-wxyz");
        tab.Find("[data-test=save-settings]").Click();

        tab.WaitForAssertion(() => Assert.Equal("••••wxyz", tab.Find("#warehouse-password").GetAttribute("value")), Patience);
        Assert.Equal("second-secret-wxyz", (await workspace.StoredAsync(id)).Settings["password"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARefusalAboutASettingIsShownNextToIt()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        Directory.CreateDirectory(Path.Combine(workspace.Server.DataDirectory, "a-folder"));
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);

        tab.Find("#warehouse-path").Input("a-folder");
        tab.Find("[data-test=save-settings]").Click();

        tab.WaitForAssertion(() => Assert.Contains("is a directory; give the path of a DuckDB file", tab.Find("[data-setting=path]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal("", (await workspace.StoredAsync(id)).Settings["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheNameTheSwitchesAndTheScheduleAreSaved()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);

        tab.Find("#warehouse-name").Input("Lake");
        tab.Find("[data-test=rename]").Click();
        tab.WaitForAssertion(() => Assert.Equal("Lake", tab.Find("h1").TextContent.Trim()), Patience);

        tab.Find("[data-test=enabled] input").Change(false);
        tab.WaitForAssertion(() => Assert.Equal("Disabled", tab.Find("[data-test=warehouse-state]").TextContent.Trim()), Patience);

        workspace.Choose(tab, "[data-test=interval-select]", "Every hour");
        tab.Find("[data-test=save-interval]").Click();
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-interval]").HasAttribute("disabled")), Patience);

        tab.Find("[data-test=schema-freeze] input").Change(true);
        tab.WaitForAssertion(() => Assert.Contains("It is frozen now.", tab.Find("[data-test=schema-freeze]").TextContent, StringComparison.Ordinal), Patience);

        var (entity, _) = await workspace.StoredAsync(id);
        Assert.Equal(("Lake", false, 3600, true), (entity.Name, entity.Enabled, entity.SyncIntervalSeconds, entity.SchemaFrozen));
    }

    [Fact]
    public async Task AnAdvancedScheduleOfChosenHoursInATimeZoneIsSavedAndTurnedOffAgain()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-test=advanced-form]")), Patience);
        Assert.True(tab.Find("[data-test=save-advanced]").HasAttribute("disabled"));

        tab.Find("[data-test=advanced-enabled] input").Change(true);
        tab.Find("[data-test=save-advanced]").Click();
        tab.WaitForAssertion(() => Assert.Contains("Choose at least one hour", tab.Find("[data-test=advanced-problem]").TextContent, StringComparison.Ordinal), Patience);

        tab.Find("[data-test=advanced-hour][data-hour='6']").Click();
        tab.Find("[data-test=advanced-hour][data-hour='18']").Click();
        tab.Find("#advanced-timezone").Input("Mars/Olympus_Mons");
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-advanced]").HasAttribute("disabled")), Patience);
        Assert.Contains("is not a time zone of the tz database", tab.Find("[data-test=advanced-form]").TextContent, StringComparison.Ordinal);
        tab.Find("#advanced-timezone").Input("Europe/Paris");
        tab.WaitForAssertion(() => Assert.False(tab.Find("[data-test=save-advanced]").HasAttribute("disabled")), Patience);
        Assert.Equal("true", tab.Find("[data-test=advanced-hour][data-hour='6']").GetAttribute("aria-pressed"));
        tab.Find("[data-test=save-advanced]").Click();

        tab.WaitForAssertion(() => Assert.Contains("06:00, 18:00 (Europe/Paris)", tab.Find("[data-test=advanced-schedule]").TextContent, StringComparison.Ordinal), Patience);
        var (entity, _) = await workspace.StoredAsync(id);
        Assert.Equal((true, "6,18", "Europe/Paris"), (entity.ScheduleEnabled, entity.ScheduleHours, entity.ScheduleTimeZone));

        tab.Find("[data-test=advanced-enabled] input").Change(false);
        tab.Find("[data-test=save-advanced]").Click();
        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-test=advanced-schedule]")), Patience);
        (entity, _) = await workspace.StoredAsync(id);
        Assert.Equal((false, "6,18"), (entity.ScheduleEnabled, entity.ScheduleHours));
        Assert.Equal("true", tab.Find("[data-test=advanced-hour][data-hour='18']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task ASourceIsConnectedAndDisconnectedHere()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync(connect: false);
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-test=connect-select]")), Patience);
        Assert.NotNull(tab.Find("[data-test=no-connected-sources]"));

        workspace.Choose(tab, "[data-test=connect-select]", "web-app");
        tab.Find("[data-test=connect]").Click();

        tab.WaitForAssertion(() => Assert.Contains("web_app", tab.Find($"[data-test=connected-source][data-source-id={workspace.SourceId}]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal([workspace.SourceId], await workspace.ConnectedAsync(id));

        tab.Find("[data-test=disconnect]").Click();
        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-test=connected-source]")), Patience);
        Assert.Empty(await workspace.ConnectedAsync(id));
    }

    [Fact]
    public async Task DeletingTakesTheWarehousesExactName()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync("Analytics");
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);

        tab.Find("#delete-confirmation").Input("analytics");
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=delete]").HasAttribute("disabled")), Patience);
        tab.Find("#delete-confirmation").Input("Analytics");
        tab.Find("[data-test=delete]").Click();

        var navigation = workspace.Bunit.Services.GetRequiredService<NavigationManager>();
        tab.WaitForAssertion(() => Assert.EndsWith($"/w/{workspace.Owner.Slug}/connections", navigation.Uri, StringComparison.Ordinal), Patience);
        var left = await workspace.RunAsync<Junction.Warehouses.ControlPlane.WarehouseService, Junction.Workspace.Outcome<Junction.Warehouses.ControlPlane.WarehouseView>>(
            s => s.FindAsync(workspace.Owner.Principal, id, CancellationToken.None));
        Assert.Equal(Junction.Workspace.ProblemKind.NotFound, left.Problem!.Kind);
    }

    [Fact]
    public async Task TestConnectionTestsTheSavedSettingsAndWaitsForUnsavedChanges()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Owner);

        tab.Find("[data-test=test-connection]").Click();
        tab.WaitForAssertion(() => Assert.Equal("CONNECTED", tab.Find("[data-test=connection-result]").GetAttribute("data-state")), Patience);
        Assert.Contains("with the saved settings", tab.Find("[data-test=connection-result]").TextContent, StringComparison.Ordinal);

        tab.Find("#warehouse-path").Input("other.duckdb");
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=test-connection]").HasAttribute("disabled")), Patience);
        Assert.Contains("Save the changes to test them", tab.Find("[data-test=test-needs-save]").TextContent, StringComparison.Ordinal);
        Assert.Null(tab.Find("[data-test=connection-result]").GetAttribute("data-state"));
    }

    [Fact]
    public async Task WhoMayOnlyReadTheWarehouseSeesItsSettingsWithoutAnyAction()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreatePostgresAsync("reader-cannot-see-1234", connect: true);

        var tab = workspace.Render<WarehouseSettingsTab>(id, "settings", workspace.Reader);

        Assert.Contains("needs Warehouse Destination Admin on it", tab.Find("[data-test=settings-read-only]").TextContent, StringComparison.Ordinal);
        Assert.True(tab.Find("#warehouse-name").HasAttribute("readonly"));
        Assert.True(tab.Find("#warehouse-host").HasAttribute("readonly"));
        Assert.Equal("••••1234", tab.Find("#warehouse-password").GetAttribute("value"));
        Assert.True(tab.Find("[data-test=enabled] input").HasAttribute("disabled"));
        Assert.True(tab.Find("[data-test=schema-freeze] input").HasAttribute("disabled"));
        Assert.NotNull(tab.Find($"[data-test=connected-source][data-source-id={workspace.SourceId}]"));
        Assert.All(tab.FindAll("[data-test=advanced-hour]"), hour => Assert.True(hour.HasAttribute("disabled")));
        foreach (var action in new[] { "rename", "save-settings", "replace-secret", "save-interval", "save-advanced", "connect", "disconnect", "delete" })
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

    private async Task<WarehouseWorkspace> StartAsync() => _workspace = await WarehouseWorkspace.StartAsync();
}
