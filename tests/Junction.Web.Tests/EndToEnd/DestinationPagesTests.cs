using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// Adding a destination as a Workspace Owner would, in Chromium: from Connections, the catalog, configuring it on a
/// source, its Settings tab where it is enabled, and Connections drawing the source, the destination and the line.
/// </summary>
public sealed class DestinationPagesTests
{
    [Fact]
    public async Task AddingAWebhooksActionsDestinationFromConnectionsThenEnablingItShowsItConnectedToItsSource()
    {
        await using var app = await AppSession.StartAsync();
        var (sourceId, _) = await app.Server.CreateSourceAsync("web-shop");
        var page = app.Page;
        await page.SetViewportSizeAsync(1280, 800);
        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await Expect(page.Locator("[data-test=no-destination]")).ToBeVisibleAsync();

        await page.Locator("[data-test=add-destination]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a destination");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Analytics" })).ToBeVisibleAsync();
        await app.ScreenshotAsync("destinations-catalog");

        await page.Locator("#destination-search").FillAsync("webhook");
        await page.Locator("[data-test=catalog-entry][data-slug=actions-webhook]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add Webhooks (Actions)");
        // The only source the owner administers is chosen already.
        await Expect(page.Locator("[data-test=source-select]")).ToContainTextAsync("web-shop");
        await page.Locator("#destination-name").FillAsync("Order webhooks");
        await app.ScreenshotAsync("destination-configure");

        await page.Locator("[data-test=create-destination]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Order webhooks");
        await Expect(page.Locator(".jn-page-actions")).ToContainTextAsync("Disabled");

        await page.GetByRole(AriaRole.Switch, new() { Name = "Send events" }).ClickAsync();
        await Expect(page.Locator(".jn-page-actions")).ToContainTextAsync("Enabled");
        await Expect(page.Locator("[data-test=enabled]")).ToContainTextAsync("Enabled: the source's events are sent to it.");
        await app.ScreenshotAsync("destination-settings");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        var row = page.Locator($"[data-test=connection][data-source-id={sourceId}]");
        await Expect(row.Locator("[data-test=source-row]")).ToContainTextAsync("web-shop");
        await Expect(row.Locator("[data-test=destination-row]")).ToContainTextAsync("Order webhooks");
        await Expect(row.Locator("[data-test=destination-state]")).ToHaveTextAsync("Enabled");
        await Expect(row.Locator("[data-test=destination-health]")).ToHaveTextAsync("Active");
        await Expect(row.Locator("[data-test=destination-row]")).ToContainTextAsync("0 delivered in 24 h");
        await Expect(row.Locator("[data-test=line]")).ToHaveCountAsync(1);
        await app.ScreenshotAsync("connections-destinations");

        Assert.Matches("^/w/[^/]+/destinations/dst_[^/]+/delivery$", await row.Locator("[data-test=destination-row]").GetAttributeAsync("href"));
    }
}
