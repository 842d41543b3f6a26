using System.Text.Json;
using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// The destinations seed flow in Chromium: a Webhooks destination added to a source in the browser, pointed at a local
/// webhook sink and enabled; a page with the source's snippet sends its calls; they arrive at the sink, and the
/// destination's Event Delivery tab counts them delivered and traces one of them.
/// </summary>
public sealed class WebhookDestinationTests
{
    [Fact]
    public async Task EventsFromTheSnippetReachAWebhookAddedInTheBrowserAndShowInEventDelivery()
    {
        await using var sink = await FakeApi.StartAsync();
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await page.SetViewportSizeAsync(1280, 900);
        var (sourceId, _) = await app.Server.CreateSourceAsync("docs-site");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await page.Locator("[data-test=add-destination]").First.ClickAsync();
        await page.Locator("#destination-search").FillAsync("webhooks");
        await page.Locator("[data-test=catalog-entry][data-slug=webhooks]").ClickAsync();
        await page.Locator("#destination-name").FillAsync("Docs webhook");
        await page.Locator("[data-test=create-destination]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        var destinationPath = new Uri(page.Url).AbsolutePath[..^"/settings".Length];

        await page.Locator("#setting-globalHook").FillAsync(sink.BaseUrl + "/hook");
        await page.Locator("[data-test=save-settings]").ClickAsync();
        await Expect(page.Locator("[data-test=save-settings]")).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Send events" }).ClickAsync();
        await Expect(page.Locator(".jn-page-actions")).ToContainTextAsync("Enabled");
        await app.ScreenshotAsync("webhook-destination-settings");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{sourceId}/setup");
        var snippet = await page.Locator("[data-test=snippet] pre").InnerTextAsync();
        await using var site = await CustomerSite.StartAsync(DebuggerTestPage.DocsPage(snippet));
        var visitor = await app.Chromium.NewPageAsync();
        await visitor.GotoAsync(new Uri(site.BaseAddress, "docs/install").ToString());
        await visitor.ClickAsync("#subscribe");

        await Eventually.TrueAsync(() => Task.FromResult(sink.Received.Count >= 2), TimeSpan.FromSeconds(45), "the page and the track call at the webhook");
        var calls = sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["page", "track"], calls.Select(c => c.GetProperty("type").GetString()).Order());
        Assert.All(sink.Received, r => Assert.Equal(("POST", "/hook", "Segment.io/1.0"), (r.Method, r.Path, r.Header("User-Agent"))));
        var track = calls.Single(c => c.GetProperty("type").GetString() == "track");
        Assert.Equal("Newsletter Subscribed", track.GetProperty("event").GetString());

        await app.GoAsync(destinationPath + "/delivery");
        await Eventually.TrueAsync(async () =>
        {
            await page.Locator("[data-test=refresh]").ClickAsync();
            return (await page.Locator("[data-test=delivered]").InnerTextAsync()).Contains('2', StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "Event Delivery to count two delivered events");
        await app.ScreenshotAsync("webhook-destination-delivery");
    }
}
