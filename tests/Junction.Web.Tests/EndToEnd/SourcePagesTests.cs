using System.Net;
using System.Net.Http.Json;
using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// Adding a source and using its pages as a Workspace Owner would, in Chromium: the Add Source flow from Connections,
/// the Overview counting events posted to the Tracking API, and every action of the Settings tab.
/// </summary>
public sealed class SourcePagesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddingAJavaScriptSourceFromConnectionsLandsOnItsSetupWithItsWriteKeyAndSnippet()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");

        await page.Locator("[data-test=add-source]").First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a source");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Website" })).ToBeVisibleAsync();
        await app.ScreenshotAsync("add-source-catalog");

        await page.Locator("[data-test=catalog-entry][data-slug=javascript]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add Javascript");
        await page.Locator("#source-name").FillAsync("Marketing Website");
        await Expect(page.Locator("#source-slug")).ToHaveValueAsync("marketing-website");
        await app.ScreenshotAsync("add-source-name");

        await page.Locator("[data-test=create-source]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/setup", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Marketing Website");
        var writeKey = (await page.Locator("[data-test=write-key] code").InnerTextAsync()).Trim();
        Assert.Equal(32, writeKey.Length);
        var snippet = await page.Locator("[data-test=snippet] pre").InnerTextAsync();
        Assert.Contains($"analytics.load(\"{writeKey}\")", snippet, StringComparison.Ordinal);
        Assert.Contains($"analytics._cdn = \"{app.BaseUrl}\"", snippet, StringComparison.Ordinal);
        await Expect(page.Locator("[data-test=install-examples] [data-example]").First).ToHaveTextAsync("Node.js");
        await app.ScreenshotAsync("source-setup");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Source pages" }).GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Expect(page.Locator("[data-test=overview-empty]")).ToBeVisibleAsync();
        await app.ScreenshotAsync("source-overview-empty");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Source pages" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(page.Locator("#settings-name")).ToHaveValueAsync("Marketing Website");
        await app.ScreenshotAsync("source-settings");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await Expect(page.Locator("[data-test=source-row]")).ToContainTextAsync("Marketing Website");
    }

    [Fact]
    public async Task TheOverviewCountsTheEventsPostedToTheTrackingApiByTypeAndName()
    {
        await using var app = await AppSession.StartAsync();
        var (sourceId, writeKey) = await app.Server.CreateSourceAsync("checkout");
        const string batch = """
            {"batch": [
              {"type": "track", "event": "Order Completed", "userId": "u1", "properties": {"revenue": 10}},
              {"type": "track", "event": "Order Completed", "userId": "u2"},
              {"type": "track", "event": "Cart Viewed", "userId": "u2"},
              {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}},
              {"type": "track", "userId": "u3"}
            ]}
            """;
        using var response = await app.Server.PostTrackingAsync("v1/batch", batch, writeKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/overview");
        var received = app.Page.Locator("[data-test=received] h5");
        await Eventually.TrueAsync(async () =>
        {
            if (await received.CountAsync() > 0 && (await received.InnerTextAsync()).Trim() == "4")
            {
                return true;
            }

            await app.Page.Locator("[data-test=refresh]").ClickAsync();
            await Task.Delay(300);
            return false;
        }, Patience, "the overview to count the four events accepted");

        await Expect(app.Page.Locator("[data-test=rejected] h5")).ToHaveTextAsync("1");
        await Expect(app.Page.Locator("[data-test=by-type] tbody tr").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^track\\s*3\\s*1\\s*75%$"));
        await Expect(app.Page.Locator("[data-test=by-name] tbody tr").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Order Completed\\s*2\\s*0\\s*50%$"));
        await Expect(app.Page.Locator("[data-test=volume-chart] svg").First).ToBeVisibleAsync();
        await app.ScreenshotAsync("source-overview");

        await app.Page.Locator("[data-range='10m']").ClickAsync();
        await Expect(app.Page.Locator("[data-range='10m']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(received).ToHaveTextAsync("4");
    }

    [Fact]
    public async Task EverySettingsActionIsSavedAndShownAndTheTrackingApiFollows()
    {
        await using var app = await AppSession.StartAsync();
        using (var api = await app.Server.CreateApiClientAsync())
        {
            using var created = await api.PostAsJsonAsync("labels", new { label = new { key = "environment", value = "production" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (sourceId, firstKey) = await app.Server.CreateSourceAsync("web-shop");
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/settings");

        // Rename
        await page.Locator("#settings-name").FillAsync("Web Shop EU");
        await page.Locator("[data-test=rename]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Web Shop EU");

        // Disable: the Tracking API refuses the source's events at once.
        await page.GetByRole(AriaRole.Switch, new() { Name = "Accept events" }).ClickAsync();
        await Expect(page.Locator("[data-test=enabled]")).ToContainTextAsync("Disabled");
        await Expect(page.Locator(".jn-page-actions")).ToContainTextAsync("Disabled");
        Assert.Equal(HttpStatusCode.Forbidden, await TrackAsync(app, firstKey));

        // Add a write key, then revoke the first one (after confirming).
        await page.Locator("[data-test=add-write-key]").ClickAsync();
        await Expect(page.Locator("[data-test=write-key]")).ToHaveCountAsync(2);
        await page.Locator("[data-test=write-key]", new() { HasText = firstKey }).Locator("[data-test=revoke]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(page.Locator("[data-test=write-key]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=write-key]")).Not.ToContainTextAsync(firstKey);
        await Expect(page.Locator("[data-test=revoke]")).ToBeDisabledAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await TrackAsync(app, firstKey));

        // Label it.
        await page.Locator("[data-test=label-select]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "environment:production" }).ClickAsync();
        await page.Locator("[data-test=add-label]").ClickAsync();
        await Expect(page.Locator("[data-test=label]")).ToHaveTextAsync("environment:production");

        // Enable it again: the new key is accepted.
        await page.GetByRole(AriaRole.Switch, new() { Name = "Accept events" }).ClickAsync();
        await Expect(page.Locator("[data-test=enabled]")).ToContainTextAsync("Enabled");
        var newKey = (await page.Locator("[data-test=write-key] code").InnerTextAsync()).Trim();
        Assert.Equal(HttpStatusCode.OK, await TrackAsync(app, newKey));

        // Opened again, the page shows what was saved.
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/settings");
        await Expect(page.Locator("#settings-name")).ToHaveValueAsync("Web Shop EU");
        await Expect(page.Locator("[data-test=label]")).ToHaveTextAsync("environment:production");
        await Expect(page.Locator("[data-test=write-key] code")).ToHaveTextAsync(newKey);
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Accept events" })).ToBeCheckedAsync();
        await app.ScreenshotAsync("source-settings-changed");
        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await Expect(page.Locator("[data-test=source-row]")).ToContainTextAsync("Web Shop EU");
        await Expect(page.Locator("[data-test=source-labels]")).ToHaveTextAsync("environment:production");
        await app.ScreenshotAsync("connections-sources");
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/settings");

        // Delete, confirming with the name.
        await Expect(page.Locator("[data-test=delete]")).ToBeDisabledAsync();
        await page.Locator("#delete-confirmation").FillAsync("Web Shop EU");
        await page.Locator("[data-test=delete]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/connections", StringComparison.Ordinal));
        await Expect(page.Locator("[data-test=source-row]")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await TrackAsync(app, newKey));
    }

    private static async Task<HttpStatusCode> TrackAsync(AppSession app, string writeKey)
    {
        using var response = await app.Server.PostTrackingAsync("v1/track", """{"userId": "u1", "event": "Settings Checked"}""", writeKey);
        return response.StatusCode;
    }
}
