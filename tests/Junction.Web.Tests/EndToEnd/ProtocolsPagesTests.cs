using System.Text.Json;
using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// Protocols in Chromium, as issue 7 describes it: a page with the source's analytics.js snippet sends events; the
/// source's Schema tab lists them; a tracking plan is created from that schema and connected; one rule is tightened
/// (a property made required); a violating event sent with analytics.js shows on the Violations view; "Block events with
/// violations" is turned on; the next violating event shows as blocked in the debugger and never reaches the
/// connected webhook destination, while a valid event sent after it does. Each page visited is saved in docs/screenshots.
/// </summary>
public sealed class ProtocolsPagesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task APlanMadeFromTheSchemaFlagsThenBlocksViolatingEventsWhileValidOnesReachTheDestination()
    {
        await using var sink = await FakeApi.StartAsync();
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await page.SetViewportSizeAsync(1280, 900);
        var (sourceId, _) = await app.Server.CreateSourceAsync("shop-site");
        var sourcePath = $"/w/{app.WorkspaceSlug}/sources/{sourceId}";
        await AddWebhookAsync(app, sink);

        await app.GoAsync(sourcePath + "/setup");
        var snippet = await page.Locator("[data-test=snippet] pre").InnerTextAsync();
        await using var site = await CustomerSite.StartAsync(ShopPage(snippet));
        var visitor = await app.Chromium.NewPageAsync();
        await visitor.GotoAsync(new Uri(site.BaseAddress, "checkout").ToString());
        await TrackAsync(visitor, new { order_id = "o-1", revenue = 42.5, currency = "EUR" });

        // The schema lists what the snippet sent; a plan is made from it and the source connected.
        await app.GoAsync(sourcePath + "/schema");
        var orderRow = page.Locator("[data-test=schema-event][data-name='Order Completed']");
        await RefreshUntilAsync(page, orderRow, "the track call on the Schema tab");
        await orderRow.Locator("[data-test=event-toggle]").ClickAsync();
        await Expect(page.Locator("[data-test=schema-property][data-path='properties.order_id'] [data-test=property-types]")).ToHaveTextAsync("string");
        // On a laptop screen the actions of an event and of its properties are in view, not cut off by the table.
        await Expect(orderRow.Locator("[data-test=event-archive]")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("[data-test=schema-property][data-path='properties.order_id'] [data-test=property-block]")).ToBeInViewportAsync(new() { Ratio = 1 });
        await app.ScreenshotAsync("protocols-schema");

        await page.Locator("[data-test=plan-from-schema]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("New tracking plan");
        await page.Locator("#plan-name").FillAsync("Shop plan");
        await Expect(page.Locator("input[data-test=connect-source]")).ToBeCheckedAsync();
        await app.ScreenshotAsync("protocols-plan-new");
        await page.Locator("[data-test=create-plan]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Shop plan");
        await Expect(page.Locator("[data-test=plan-note]")).ToContainTextAsync("Connected the source.");
        await Expect(page.Locator($"[data-test=connected-source][data-source-id={sourceId}]")).ToBeVisibleAsync();

        // Tighten the rule: order_id becomes required.
        var rule = page.Locator("[data-test=rule][data-key='Order Completed']");
        await Expect(rule.Locator("[data-test=rule-properties]")).ToContainTextAsync("order_id (string)");
        await rule.Locator("[data-test=edit-rule]").ClickAsync();
        await page.Locator("[data-test=property-row][data-property=order_id] input[data-test=property-required]").CheckAsync();
        await app.ScreenshotAsync("protocols-rule-editor");
        await page.Locator("[data-test=save-rule]").ClickAsync();
        await Expect(rule.Locator("[data-test=rule-properties]")).ToContainTextAsync("order_id (string, required)");
        await rule.Locator("[data-test=rule-history-open]").ClickAsync();
        await Expect(page.Locator("[data-test=revision]")).ToHaveCountAsync(2);
        await app.ScreenshotAsync("protocols-plan");

        // A violating event is let through and recorded.
        await TrackAsync(visitor, new { revenue = 10, currency = "EUR" });
        await app.GoAsync(sourcePath + "/schema/violations");
        var violation = page.Locator("[data-test=violation-event][data-name='Order Completed']");
        await RefreshUntilAsync(page, violation, "the violation on the Violations view");
        await Expect(violation.Locator("[data-test=violation-line][data-type=Required]")).ToContainTextAsync("properties.order_id");
        await Expect(violation.Locator("[data-test=count-1h]")).ToHaveTextAsync("1");
        await violation.Locator("[data-test=violation-toggle]").ClickAsync();
        await Expect(page.Locator("[data-test=violation-sample]").First).ToContainTextAsync("\"revenue\": 10");
        await app.ScreenshotAsync("protocols-violations");

        // Blocking on: the next violating event is blocked, a valid one sent after it still arrives.
        await page.Locator("[data-test=schema-view-configuration]").ClickAsync();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Block events with violations" }).ClickAsync();
        await page.Locator("[data-test=save-schema-settings]").ClickAsync();
        await Expect(page.Locator("[data-test=save-schema-settings]")).ToBeDisabledAsync();
        await app.ScreenshotAsync("protocols-schema-configuration");

        await TrackAsync(visitor, new { revenue = 11, currency = "EUR" });
        await TrackAsync(visitor, new { order_id = "o-3", revenue = 12, currency = "EUR" });

        await app.GoAsync(sourcePath + "/debugger");
        await page.Locator("[data-test=status-blocked]").ClickAsync();
        var blocked = page.Locator("[data-test=debugger-row][data-status=blocked]");
        await Expect(blocked).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(blocked.Locator("[data-test=row-reason]")).ToHaveTextAsync("Blocked · schema_violation");
        await blocked.ClickAsync();
        await Expect(page.Locator("[data-test=debugger-reason]")).ToContainTextAsync("Blocked: schema_violation");
        await page.Locator("[data-test=view-raw]").ClickAsync();
        await Expect(page.Locator("[data-test=raw-received]")).ToContainTextAsync("\"revenue\": 11");
        await app.ScreenshotAsync("protocols-debugger-blocked");

        // The webhook has the valid events (sent before and after the blocked one, same user: delivered in order) and never the blocked one.
        await Eventually.TrueAsync(() => Task.FromResult(Revenues(sink).Contains(12)), Patience, "the valid event at the webhook");
        Assert.Equal([42.5, 10, 12], Revenues(sink));
    }

    /// <summary>Adds a Webhooks destination to the source in the browser, pointed at <paramref name="sink"/>, and enables it.</summary>
    private static async Task AddWebhookAsync(AppSession app, FakeApi sink)
    {
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections");
        await page.Locator("[data-test=add-destination]").First.ClickAsync();
        await page.Locator("#destination-search").FillAsync("webhooks");
        await page.Locator("[data-test=catalog-entry][data-slug=webhooks]").ClickAsync();
        await page.Locator("#destination-name").FillAsync("Orders webhook");
        await page.Locator("[data-test=create-destination]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        await page.Locator("#setting-globalHook").FillAsync(sink.BaseUrl + "/hook");
        await page.Locator("[data-test=save-settings]").ClickAsync();
        await Expect(page.Locator("[data-test=save-settings]")).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Send events" }).ClickAsync();
        await Expect(page.Locator(".jn-page-actions")).ToContainTextAsync("Enabled");
    }

    /// <summary>Calls analytics.js's <c>track</c> on the customer's page, once the library has loaded, and waits until it has sent it.</summary>
    private static Task TrackAsync(IPage visitor, object properties) =>
        visitor.EvaluateAsync("""
            async (properties) => {
              await new Promise(resolve => analytics.ready(() => resolve()));
              await analytics.track('Order Completed', properties);
            }
            """, properties);

    /// <summary>Presses the view's Refresh until <paramref name="target"/> shows: what the processor counts is written a moment after it arrives.</summary>
    private static Task RefreshUntilAsync(IPage page, ILocator target, string what) =>
        Eventually.TrueAsync(async () =>
        {
            if (await target.CountAsync() > 0)
            {
                return true;
            }

            await page.Locator("[data-test=refresh]").ClickAsync();
            return await target.CountAsync() > 0;
        }, Patience, what);

    /// <summary>The revenue of every Order Completed event the webhook received, in the order received.</summary>
    private static List<double> Revenues(FakeApi sink) =>
        sink.Received
            .Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "track")
            .Select(e => e.GetProperty("properties").GetProperty("revenue").GetDouble())
            .ToList();

    /// <summary>A checkout page with the source's snippet in its head, which sends the page call.</summary>
    private static string ShopPage(string snippet) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Checkout - Junction protocols test</title>
          <link rel="icon" href="data:,">
          {{snippet}}
        </head>
        <body style="font-family: sans-serif; margin: 2em">
          <h1>Checkout</h1>
          <p>This page has the analytics.js snippet copied from the source's Setup tab.</p>
        </body>
        </html>
        """;
}
