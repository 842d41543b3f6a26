using Bunit;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Syncing;
using Junction.Web.Warehouses.Overview;
using Junction.Workspace;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// A warehouse's Overview in its frame, against the real WarehouseService with a sync history the tests fill in and
/// the real DuckDB file: the status, the history with its statuses, rows per table and notices, "Sync now" watched
/// until the sync ends, the connection checked on demand, and each source's tables with their row counts.
/// </summary>
public sealed class WarehouseOverviewTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task EachSyncShowsItsStatusDurationAndRowsAndOpensToItsTablesAndNotices()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var now = workspace.Clock.GetUtcNow();
        workspace.Syncs!.Save(
            Sync(id, workspace.SourceId, "s1", now.AddMinutes(-40), TimeSpan.FromSeconds(3), SyncStatus.Success, new() { ["tracks"] = 2, ["pages"] = 1 }),
            Sync(id, workspace.SourceId, "s2", now.AddMinutes(-30), TimeSpan.FromSeconds(4), SyncStatus.Partial, new() { ["tracks"] = 5 },
                new SyncNotice("WARNING", "1 value did not fit its column and was kept in junction_discards.", now.AddMinutes(-30))),
            Sync(id, workspace.SourceId, "s3", now.AddMinutes(-20), TimeSpan.FromSeconds(1), SyncStatus.Failure, [],
                new SyncNotice("ERROR", "permission denied for schema web_app", now.AddMinutes(-20))),
            Sync(id, workspace.SourceId, "s4", now.AddMinutes(-1), null, SyncStatus.Running, []));

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Owner);

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-test=sync-row]").Count), Patience);
        var rows = page.FindAll("[data-test=sync-row]");
        Assert.Equal(["RUNNING", "FAILED", "PARTIAL", "SUCCESS"], rows.Select(r => r.QuerySelector("[data-test=sync-status]")!.TextContent.Trim()));
        Assert.Equal(["0", "0", "5", "3"], rows.Select(r => r.QuerySelector("[data-test=sync-rows]")!.TextContent.Trim()));
        Assert.Contains("web-app", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Contains("Schedule", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Contains("3 s", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Contains("1 min", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-03-02 11:59:00 UTC", page.Find("[data-test=status-last-sync]").TextContent, StringComparison.Ordinal);
        Assert.Contains("After the one running now", page.Find("[data-test=status-next-sync]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-test=sync-detail]"));

        page.Find("[data-sync-id=s3] [data-test=sync-toggle]").Click();
        var failure = page.Find("[data-test=sync-detail]");
        Assert.Contains("Nothing was loaded", failure.TextContent, StringComparison.Ordinal);
        Assert.Equal("ERROR", failure.QuerySelector("[data-test=sync-notice]")!.GetAttribute("data-level"));
        Assert.Contains("permission denied for schema web_app", failure.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-sync-id=s3] [data-test=sync-toggle]").GetAttribute("aria-expanded"));

        page.Find("[data-sync-id=s1] [data-test=sync-toggle]").Click();
        var success = page.FindAll("[data-test=sync-detail]").Single(d => d.TextContent.Contains("Everything staged", StringComparison.Ordinal));
        Assert.Equal(["pages", "tracks"], success.QuerySelectorAll("[data-test=sync-tables] tr[data-table]").Select(r => r.GetAttribute("data-table")));
    }

    [Fact]
    public async Task SyncNowIsAskedOfTheServiceAndWatchedUntilTheSyncEnds()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Owner);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-test=history-empty]")), Patience);
        Assert.Contains("Nothing loaded yet", page.Find("[data-test=source-tables] [data-test=no-tables]").TextContent, StringComparison.Ordinal);

        page.Find("[data-test=sync-now]").Click();
        page.WaitForAssertion(() => Assert.Equal([id], workspace.Syncs!.Requested), Patience);

        var start = workspace.Clock.GetUtcNow();
        workspace.Syncs!.Save(Sync(id, workspace.SourceId, "s1", start, null, SyncStatus.Running, [], trigger: "manual"));
        workspace.Clock.Advance(WarehouseOverview.WatchInterval);
        page.WaitForAssertion(() => Assert.Equal("running", page.Find("[data-test=sync-row]").GetAttribute("data-status")), Patience);

        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", start, "Signed Up"], ["m2", start, "Signed In"]);
        workspace.Syncs.Save(Sync(id, workspace.SourceId, "s1", start, TimeSpan.FromSeconds(2), SyncStatus.Success, new() { ["tracks"] = 2 }, trigger: "manual"));
        workspace.Clock.Advance(WarehouseOverview.WatchInterval);

        page.WaitForAssertion(() => Assert.Equal("success", page.Find("[data-test=sync-row]").GetAttribute("data-status")), Patience);
        Assert.Contains("Sync now", page.Find("[data-test=sync-row]").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-table=tracks] [data-test=table-rows]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task EachConnectedSourcesTablesAreListedWithTheirRowCountsAndLinkToTheirPreview()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var at = workspace.Clock.GetUtcNow();
        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", at, "A"], ["m2", at, "B"], ["m3", at, "C"]);
        await workspace.LoadAsync(id, "pages", ["name"], ["m4", at, "Home"]);

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Owner);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test=table-row]").Count), Patience);
        var section = page.Find($"[data-test=source-tables][data-source-id={workspace.SourceId}]");
        Assert.Contains("schema web_app", section.TextContent, StringComparison.Ordinal);
        Assert.Equal(["pages", "tracks"], page.FindAll("[data-test=table-row]").Select(r => r.GetAttribute("data-table")));
        Assert.Equal(["1", "3"], page.FindAll("[data-test=table-rows]").Select(c => c.TextContent.Trim()));
        Assert.Equal(
            $"/w/{workspace.Owner.Slug}/warehouses/{id}/preview?source={workspace.SourceId}&table=tracks",
            page.Find("[data-table=tracks] a").GetAttribute("href"));
    }

    [Fact]
    public async Task TheStatusSaysTheScheduleAndAboutWhenTheNextSyncIs()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var now = workspace.Clock.GetUtcNow();
        workspace.Syncs!.Save(Sync(id, workspace.SourceId, "s1", now.AddMinutes(-1), TimeSpan.FromSeconds(1), SyncStatus.Success, []));

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Owner);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=sync-row]")), Patience);
        Assert.Equal("Every 5 minutes", page.Find("[data-test=status-schedule]").TextContent.Trim());
        Assert.Contains("About 2026-03-02 12:04:00 UTC (in 4 min)", page.Find("[data-test=status-next-sync]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Not checked", page.Find("[data-test=status-connection]").TextContent, StringComparison.Ordinal);

        page.Find("[data-test=check-connection]").Click();
        page.WaitForAssertion(() => Assert.Equal("CONNECTED", page.Find("[data-test=connection-result]").GetAttribute("data-state")), Patience);
    }

    [Fact]
    public async Task ADisabledWarehouseCannotSyncNowAndSaysHowToEnableIt()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        await workspace.RunAsync<WarehouseService, Outcome<WarehouseView>>(
            s => s.UpdateAsync(workspace.Owner.Principal, id, new WarehouseChanges(Enabled: false), CancellationToken.None));

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Owner);

        Assert.True(page.Find("[data-test=sync-now]").HasAttribute("disabled"));
        Assert.Contains("Enable it in Settings", page.Find("[data-test=status-enabled]").TextContent, StringComparison.Ordinal);
        Assert.Contains("the warehouse is disabled", page.Find("[data-test=status-next-sync]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReaderSeesTheHistoryButNoSyncNow()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        workspace.Syncs!.Save(Sync(id, workspace.SourceId, "s1", workspace.Clock.GetUtcNow().AddMinutes(-5), TimeSpan.FromSeconds(1), SyncStatus.Success, []));

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.Reader);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=sync-row]")), Patience);
        Assert.Empty(page.FindAll("[data-test=sync-now]"));
    }

    [Fact]
    public async Task WhoHasNoRoleOnWarehousesFindsNoWarehouse()
    {
        var workspace = await StartAsync();
        var id = await workspace.CreateDuckDbAsync();

        var page = workspace.Render<WarehouseOverview>(id, "overview", workspace.SourceReader);

        Assert.Equal("Warehouse not found", page.Find("h1").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-test=history]"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private static SyncRecord Sync(
        string warehouseId, string sourceId, string id, DateTimeOffset start, TimeSpan? took, SyncStatus status, Dictionary<string, long> tables,
        SyncNotice? notice = null, string trigger = "schedule") =>
        new(id, warehouseId, sourceId, trigger, start, start + took, status, tables.Values.Sum(), tables, notice is null ? [] : [notice]);

    private async Task<WarehouseWorkspace> StartAsync() => _workspace = await WarehouseWorkspace.StartAsync(listedSyncs: true);
}
