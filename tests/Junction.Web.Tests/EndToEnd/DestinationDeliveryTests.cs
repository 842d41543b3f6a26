using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Webhooks;
using Junction.Destinations.ControlPlane;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// A destination's Event Delivery and Failed events tabs in Chromium, over the server's own delivery journal: the
/// steps of a few events are reported to it as the fan-out and the router report them, then the owner reads the
/// numbers, traces an event and re-sends a failed one.
/// </summary>
public sealed class DestinationDeliveryTests
{
    [Fact]
    public async Task TheOwnerSeesTheNumbersTracesAnEventAndReSendsAFailedOne()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        var (sourceId, _) = await app.Server.CreateSourceAsync("web");
        var destinationId = await CreateDestinationAsync(app, sourceId);
        await ReportAsync(app, sourceId, destinationId);

        await app.GoAsync($"/w/{app.WorkspaceSlug}/destinations/{destinationId}/delivery");
        await Expect(page.Locator("[data-test=delivered] h5")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-test=failed] h5")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-test=discarded] h5")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-test=discard-reasons]")).ToContainTextAsync("A destination filter dropped it");
        await app.ScreenshotAsync("destination-delivery");

        await page.Locator("#trace-message-id").FillAsync("m-retried");
        await page.Locator("[data-test=trace-find]").ClickAsync();
        await Expect(page.Locator("[data-test=trace-step]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-test=trace]")).ToContainTextAsync("retried after the 30 s it asked for");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await app.ScreenshotAsync("destination-trace");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Destination pages" }).GetByRole(AriaRole.Link, new() { Name = "Failed events" }).ClickAsync();
        await Expect(page.Locator("[data-test=failed-row]")).ToHaveCountAsync(1);
        await page.Locator("input[aria-label='Select event m-aborted']").CheckAsync();
        await app.ScreenshotAsync("destination-failed");

        await page.Locator("[data-test=resend-selected]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-send", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-test=resend-outcome]")).ToContainTextAsync("1 event went back to the queue.");

        await app.GoAsync($"/w/{app.WorkspaceSlug}/destinations/{destinationId}/delivery?messageId=m-aborted");
        await Expect(page.Locator("[data-test=trace]")).ToContainTextAsync("Re-sent from Failed events");
    }

    private static async Task<string> CreateDestinationAsync(AppSession app, string sourceId)
    {
        await using var scope = app.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var owner = new Principal(workspace.Id, PrincipalType.User, "usr_e2e", "Olivia Owner", [new Grant(Roles.WorkspaceOwner, GrantScope.Everything)]);
        var created = await scope.ServiceProvider.GetRequiredService<DestinationService>()
            .CreateAsync(owner, new NewDestination(sourceId, WebhooksDestination.Definition.Id, Name: "Order webhooks"), CancellationToken.None);
        return created.Value?.Id ?? throw new InvalidOperationException(created.Problem?.Message);
    }

    private static async Task ReportAsync(AppSession app, string sourceId, string destinationId)
    {
        var journal = app.Server.Services.GetRequiredService<DeliveryJournal>();
        var now = DateTimeOffset.UtcNow;
        DeliveryRecord Record(string messageId) => new(
            destinationId, "sub_webhook", "send", sourceId, messageId, "user-1", now.AddSeconds(-40),
            new JsonObject { ["type"] = "track", ["event"] = "Order Completed", ["properties"] = new JsonObject { ["revenue"] = 42.5 } },
            JsonDocument.Parse("""{"type":"track","event":"Order Completed"}""").RootElement.Clone());

        var delivered = Record("m-delivered");
        journal.Report(new(destinationId, sourceId, delivered.MessageId, delivered.SubscriptionId, DeliveryState.Queued, now.AddSeconds(-40), Record: delivered));
        journal.Report(new(destinationId, sourceId, delivered.MessageId, delivered.SubscriptionId, DeliveryState.Delivered, now.AddSeconds(-39), null, 1, 200, "OK", TimeSpan.FromMilliseconds(85), delivered));

        var retried = Record("m-retried");
        journal.Report(new(destinationId, sourceId, retried.MessageId, retried.SubscriptionId, DeliveryState.Queued, now.AddSeconds(-40), Record: retried));
        journal.Report(new(destinationId, sourceId, retried.MessageId, retried.SubscriptionId, DeliveryState.Retrying, now.AddSeconds(-39),
            "The tool answered 429 and asked to wait 30 s; retrying.", 1, 429, "{\"error\":\"rate limited\"}", TimeSpan.FromMilliseconds(120)));
        journal.Report(new(destinationId, sourceId, retried.MessageId, retried.SubscriptionId, DeliveryState.Delivered, now.AddSeconds(-9), null, 2, 200, "OK", TimeSpan.FromMilliseconds(90), retried));

        var aborted = Record("m-aborted");
        journal.Report(new(destinationId, sourceId, aborted.MessageId, aborted.SubscriptionId, DeliveryState.Queued, now.AddSeconds(-40), Record: aborted));
        journal.Report(new(destinationId, sourceId, aborted.MessageId, aborted.SubscriptionId, DeliveryState.Aborted, now.AddSeconds(-38),
            "The tool refused the event with 401.", 1, 401, "{\"error\":\"invalid signature\"}", TimeSpan.FromMilliseconds(60), aborted));

        journal.Report(new(destinationId, sourceId, "m-test", null, DeliveryState.Filtered, now.AddSeconds(-30), "FILTERED_BY_RULES: filter \"Drop test events\""));
        await journal.FlushAsync(CancellationToken.None);
    }
}
