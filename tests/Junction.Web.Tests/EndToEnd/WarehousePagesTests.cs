using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// The warehouses seed flow in Chromium: from Connections, Add Warehouse, DuckDB with empty settings (the default file
/// in the data directory), tested and connected to a source in the browser; a page with the source's analytics.js
/// snippet sends a page and a track call; "Sync now" loads them, the sync history shows it, and the Preview tab shows
/// the rows; Settings gives it an advanced schedule of two hours a day. Each page visited is saved in docs/screenshots.
/// </summary>
public sealed class WarehousePagesTests
{
    private static readonly TimeSpan SyncPatience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ADuckDbWarehouseAddedInTheBrowserLoadsTheSnippetsCallsAndShowsThemInPreview()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await page.SetViewportSizeAsync(1280, 900);
        var (sourceId, _) = await app.Server.CreateSourceAsync("docs-site");
        var file = Path.Combine(app.Server.DataDirectory, "warehouse.duckdb");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await page.Locator("[data-test=add-warehouse]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a data warehouse");
        await app.ScreenshotAsync("warehouses-catalog");

        await page.Locator("[data-test=catalog-entry][data-slug=duckdb]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add DuckDB");
        await Expect(page.Locator("[data-setting=path]")).ToContainTextAsync($"Leave empty to use {file}.");
        await page.Locator("[data-test=test-connection]").ClickAsync();
        await Expect(page.Locator("[data-test=connection-result]")).ToHaveAttributeAsync("data-state", "CONNECTED");
        await page.Locator("#warehouse-name").FillAsync("Docs warehouse");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "docs-site" }).CheckAsync();
        await app.ScreenshotAsync("warehouse-new");

        await page.Locator("[data-test=create-warehouse]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/overview", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Docs warehouse");
        var warehousePath = new Uri(page.Url).AbsolutePath[..^"/overview".Length];

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/setup");
        var snippet = await page.Locator("[data-test=snippet] pre").InnerTextAsync();
        await using var site = await CustomerSite.StartAsync(DebuggerTestPage.DocsPage(snippet));
        var visitor = await app.Chromium.NewPageAsync();
        await visitor.GotoAsync(new Uri(site.BaseAddress, "docs/install").ToString());
        await visitor.ClickAsync("#subscribe");

        await app.GoAsync(warehousePath + "/overview");
        await SyncUntilLoadedAsync(page, ["pages", "tracks", "newsletter_subscribed"]);
        Assert.True(File.Exists(file));
        var tables = page.Locator($"[data-test=source-tables][data-source-id={sourceId}]");
        await Expect(tables).ToContainTextAsync("schema docs_site");
        await Expect(tables.Locator("[data-table=newsletter_subscribed] [data-test=table-rows]")).ToHaveTextAsync("1");
        var loaded = page.Locator("[data-test=sync-row][data-status=success]:not([data-rows='0'])").First;
        await loaded.Locator("[data-test=sync-toggle]").ClickAsync();
        await Expect(page.Locator("[data-test=sync-detail] [data-test=sync-tables]").First).ToBeVisibleAsync();
        await app.ScreenshotAsync("warehouse-overview");

        await page.Locator("nav.jn-tabs a", new() { HasText = "Preview" }).ClickAsync();
        await Expect(page.Locator("[data-test=preview-table-choice][data-table=tracks]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("[data-test=preview-row] td[data-column=event_text]")).ToHaveTextAsync("Newsletter Subscribed");
        await page.Locator("[data-test=preview-table-choice][data-table=newsletter_subscribed]").ClickAsync();
        await Expect(page.Locator("[data-test=preview-row] td[data-column=list]")).ToHaveTextAsync("product-news");
        await Expect(page.Locator("[data-test=preview-row] td[data-column=context_page_path]")).ToHaveTextAsync("/docs/install");
        await app.ScreenshotAsync("warehouse-preview");

        await page.Locator("nav.jn-tabs a", new() { HasText = "Selective sync" }).ClickAsync();
        await Expect(page.Locator("[data-test=selective-row][data-table=newsletter_subscribed]")).ToBeVisibleAsync();
        await page.Locator("[data-test=selective-row][data-table=tracks] [data-test=selective-toggle]").ClickAsync();
        await Expect(page.Locator("[data-test=selective-columns][data-table=tracks]")).ToContainTextAsync("event_text");
        await app.ScreenshotAsync("warehouse-selective-sync");

        await page.Locator("nav.jn-tabs a", new() { HasText = "Settings" }).ClickAsync();
        await Expect(page.Locator($"[data-test=connected-source][data-source-id={sourceId}]")).ToContainTextAsync("docs_site");
        await page.GetByText("Sync only at chosen hours").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "06:00" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "18:00" }).ClickAsync();
        await page.Locator("#advanced-timezone").FillAsync("Europe/Paris");
        await page.Locator("[data-test=save-advanced]").ClickAsync();
        await Expect(page.Locator("[data-test=advanced-schedule]")).ToContainTextAsync("06:00, 18:00 (Europe/Paris)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "18:00" })).ToHaveAttributeAsync("aria-pressed", "true");
        await app.ScreenshotAsync("warehouse-settings");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        var row = page.Locator($"[data-test=connection][data-source-id={sourceId}]");
        await Expect(row.Locator("[data-test=warehouse-row]")).ToContainTextAsync("Docs warehouse");
        await Expect(row.Locator("[data-test=warehouse-last-sync]")).ToHaveTextAsync("SUCCESS");
        await Expect(row.Locator("[data-test=line]")).ToHaveCountAsync(1);
        await app.ScreenshotAsync("connections-warehouse");
    }

    /// <summary>
    /// Presses "Sync now" until the source's tables list every one of <paramref name="tables"/>: the browser's calls
    /// reach the warehouse's staging a moment after they are accepted, so the first sync may find nothing to load yet.
    /// A sync is asked for again only when none is running and the last one ended.
    /// </summary>
    private static async Task SyncUntilLoadedAsync(IPage page, IReadOnlyList<string> tables)
    {
        var lastAsked = DateTime.MinValue;
        await Eventually.TrueAsync(async () =>
        {
            var present = 0;
            foreach (var table in tables)
            {
                present += await page.Locator($"[data-test=source-tables] [data-test=table-row][data-table={table}]").CountAsync() > 0 ? 1 : 0;
            }

            if (present == tables.Count)
            {
                return true;
            }

            var running = await page.Locator("[data-test=sync-row][data-status=running]").CountAsync() > 0;
            if (!running && DateTime.UtcNow - lastAsked > TimeSpan.FromSeconds(5) && await page.Locator("[data-test=sync-now]").IsEnabledAsync())
            {
                await page.Locator("[data-test=sync-now]").ClickAsync();
                lastAsked = DateTime.UtcNow;
            }

            return false;
        }, SyncPatience, "a sync that loads the page and the track call");
    }
}
