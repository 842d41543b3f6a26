using Bunit;
using Junction.Warehouses.ControlPlane;
using Junction.Web.Warehouses.Preview;
using Junction.Web.Warehouses.SelectiveSync;
using Junction.Workspace;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// The Selective sync and Preview tabs against the real WarehouseService and a real DuckDB file: tables and columns
/// switched off and saved as overrides, and a table's latest rows shown newest first.
/// </summary>
public sealed class SelectiveSyncAndPreviewTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task ATableAndAColumnSwitchedOffAreSavedAsOverridesAndTheRequiredColumnsStayOn()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var at = workspace.Clock.GetUtcNow();
        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", at, "Signed Up"]);
        await workspace.LoadAsync(id, "pages", ["title"], ["m2", at, "Home"]);
        var tab = workspace.Render<SelectiveSyncTab>(id, "selective-sync", workspace.Owner);

        tab.WaitForAssertion(() => Assert.Equal(["pages", "tracks"], tab.FindAll("[data-test=selective-row]").Select(r => r.GetAttribute("data-table"))), Patience);
        Assert.Contains(
            "Turning a table off stops loading it: what is already in the warehouse stays there",
            WarehouseWorkspace.Words(tab.Find("[data-test=selective-explanation]").TextContent),
            StringComparison.Ordinal);
        Assert.True(tab.Find("[data-test=save-selective]").HasAttribute("disabled"));

        tab.Find("[data-table=pages] [data-test=table-switch]").Change(false);
        tab.Find("[data-table=tracks] [data-test=selective-toggle]").Click();
        var columns = tab.Find("[data-test=selective-columns][data-table=tracks]");
        Assert.Equal(["event", "id", "received_at"], columns.QuerySelectorAll("[data-test=column-switch]").Select(c => c.GetAttribute("data-column")));
        Assert.True(tab.Find("[data-column=id] input").HasAttribute("disabled"));
        Assert.True(tab.Find("[data-column=received_at] input").HasAttribute("disabled"));
        tab.Find("[data-column=event] input").Change(false);
        tab.WaitForAssertion(() => Assert.Equal("Save 2 changes", tab.Find("[data-test=save-selective]").TextContent.Trim()), Patience);

        tab.Find("[data-test=save-selective]").Click();

        tab.WaitForAssertion(() => Assert.Equal("false", tab.Find("[data-test=selective-row][data-table=pages]").GetAttribute("data-on")), Patience);
        tab.WaitForAssertion(() => Assert.True(tab.Find("[data-test=save-selective]").HasAttribute("disabled")), Patience);
        var saved = await workspace.RunAsync<WarehouseService, Outcome<SelectiveSyncList>>(
            s => s.ListSelectiveSyncsAsync(workspace.Owner.Principal, id, workspace.SourceId, 0, 10, CancellationToken.None));
        var items = saved.Value!.Page.Items.ToDictionary(i => i.Collection);
        Assert.False(items["pages"].Enabled);
        Assert.True(items["tracks"].Enabled);
        Assert.False(items["tracks"].Properties["event"]);
        Assert.True(items["tracks"].Properties["id"]);
    }

    [Fact]
    public async Task ASourceWithNothingLoadedSaysSoAndAReaderCannotSwitchAnything()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();

        var empty = workspace.Render<SelectiveSyncTab>(id, "selective-sync", workspace.Owner);
        empty.WaitForAssertion(() => Assert.NotNull(empty.Find("[data-test=selective-empty]")), Patience);

        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", workspace.Clock.GetUtcNow(), "Signed Up"]);
        var read = workspace.Render<SelectiveSyncTab>(id, "selective-sync", workspace.Reader);
        read.WaitForAssertion(() => Assert.NotNull(read.Find("[data-test=selective-row]")), Patience);
        Assert.NotNull(read.Find("[data-test=selective-read-only]"));
        Assert.True(read.Find("[data-test=table-switch]").HasAttribute("disabled"));
        Assert.Empty(read.FindAll("[data-test=save-selective]"));
    }

    [Fact]
    public async Task ThePreviewShowsTheLatestRowsOfTheChosenTableNewestFirst()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var at = workspace.Clock.GetUtcNow();
        await workspace.LoadAsync(id, "tracks", ["event", "note"],
            ["m1", at.AddMinutes(-2), "Signed Up", "first"],
            ["m2", at, "Order Completed", null],
            ["m3", at.AddMinutes(-1), "Signed In", ""]);
        await workspace.LoadAsync(id, "pages", ["title"], ["m4", at, "Home"]);

        var tab = workspace.Render<PreviewTab>(id, "preview", workspace.Owner);

        tab.WaitForAssertion(() => Assert.Equal(3, tab.FindAll("[data-test=preview-row]").Count), Patience);
        Assert.Equal("true", tab.Find("[data-table=tracks]").GetAttribute("aria-pressed"));
        Assert.Contains("(3)", tab.Find("[data-test=preview-table-choice][data-table=tracks]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["m2", "m3", "m1"], tab.FindAll("[data-test=preview-row] td[data-column=id]").Select(c => c.TextContent.Trim()));
        var notes = tab.FindAll("[data-test=preview-row] td[data-column=note]");
        Assert.Equal("NULL", notes[0].TextContent.Trim());
        Assert.NotNull(notes[0].QuerySelector(".jn-muted"));
        Assert.Equal("", notes[1].TextContent.Trim());
        Assert.Contains("web_app.tracks", tab.Find("#preview-title").TextContent, StringComparison.Ordinal);
        Assert.Equal("0", tab.Find("[data-test=preview-scroll]").GetAttribute("tabindex"));

        tab.Find("[data-test=preview-table-choice][data-table=pages]").Click();
        tab.WaitForAssertion(() => Assert.Equal(["Home"], tab.FindAll("[data-test=preview-row] td[data-column=title]").Select(c => c.TextContent.Trim())), Patience);
    }

    [Fact]
    public async Task TheAddressCanNameTheTableToShowAndNothingLoadedYetMakesNoFile()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();

        var empty = workspace.Render<PreviewTab>(id, "preview", workspace.Owner);
        empty.WaitForAssertion(() => Assert.NotNull(empty.Find("[data-test=preview-empty]")), Patience);
        Assert.False(File.Exists(Path.Combine(workspace.Server.DataDirectory, "warehouse.duckdb")));

        var at = workspace.Clock.GetUtcNow();
        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", at, "Signed Up"]);
        await workspace.LoadAsync(id, "pages", ["title"], ["m2", at, "Pricing"]);
        var tab = workspace.Render<PreviewTab>(id, "preview", workspace.Owner, p => p.Add(t => t.SourceId, workspace.SourceId).Add(t => t.Table, "pages"));

        tab.WaitForAssertion(() => Assert.Equal("true", tab.Find("[data-table=pages]").GetAttribute("aria-pressed")), Patience);
        tab.WaitForAssertion(() => Assert.Equal("Pricing", tab.Find("[data-test=preview-row] td[data-column=title]").TextContent.Trim()), Patience);
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
