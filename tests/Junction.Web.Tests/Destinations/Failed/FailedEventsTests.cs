using Bunit;
using Junction.Destinations.Delivery.Journal;
using Junction.Web.Destinations.Failed;
using Junction.Web.Tests.Destinations.Delivery;
using Junction.Workspace.Access;

namespace Junction.Web.Tests.Destinations.Failed;

/// <summary>
/// The Failed events tab over a real dead-letter store: aborted and expired events reported to the journal, listed
/// with filters and pages, and re-sent through <c>DeadLetterQuery</c> into a queue that records them.
/// </summary>
public sealed class FailedEventsTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly DeliveryKit _kit = new();

    [Fact]
    public async Task TheListShowsAbortedAndExpiredEventsNewestFirstEachLinkingToItsTrace()
    {
        await FailAsync(("m-old", 400, false, 0), ("m-expired", 503, true, 1), ("m-new", 401, false, 2));

        var page = Render(DeliveryKit.Owner);

        Assert.Equal(["m-new", "m-expired", "m-old"], MessageIds(page));
        Assert.Equal("3 failed events", page.Find("[data-test=failed-count]").TextContent.Trim());
        Assert.Equal("/w/acme/destinations/dst_amplitude/delivery?messageId=m-new#trace", page.Find("[data-test=trace-link]").GetAttribute("href"));
        var statuses = page.FindAll("[data-test=row-status]").Select(s => s.TextContent.Trim()).ToList();
        Assert.Equal(["401 (unauthorized: check the API key in Settings)", "503 (an error at the tool's server)", "400 (bad request: the tool found the event invalid)"], statuses);
        Assert.Contains("Expired", page.FindAll("[data-test=failed-row]")[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Track calls", page.FindAll("[data-test=failed-row]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilteringByStatusCodeTextAndStateNarrowsTheList()
    {
        await FailAsync(("m-a", 400, false, 0), ("m-b", 401, false, 1), ("m-c", 503, true, 2), ("m-d", 400, false, 3));
        var page = Render(DeliveryKit.Owner);

        page.Find("#filter-status").Change("400");
        page.WaitForAssertion(() => Assert.Equal(["m-d", "m-a"], MessageIds(page)), Patience);

        page.Find("#filter-text").Change("M-D");
        page.WaitForAssertion(() => Assert.Equal(["m-d"], MessageIds(page)), Patience);

        page.Find("#filter-text").Change("");
        page.Find("#filter-status").Change("");
        _kit.Choose(page, "filter-state", "Expired");
        page.WaitForAssertion(() => Assert.Equal(["m-c"], MessageIds(page)), Patience);

        page.Find("#filter-status").Change("4xx");
        page.WaitForAssertion(() => Assert.Contains("Enter an HTTP status", page.Markup, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task FilteringByMappingShowsOnlyThatMappingsEvents()
    {
        await FailAsync(("m-track", 400, false, 0));
        var now = _kit.Time.GetUtcNow();
        _kit.Report(Steps.Aborted(Steps.Record("m-identify", now, subscriptionId: DeliveryKit.OtherSubscription), now));
        await _kit.FlushAsync();
        var page = Render(DeliveryKit.Owner);
        Assert.Equal(2, MessageIds(page).Count);

        _kit.Choose(page, "filter-mapping", "Identify calls");

        page.WaitForAssertion(() => Assert.Equal(["m-identify"], MessageIds(page)), Patience);
    }

    [Fact]
    public async Task FilteringByTimeLeavesOutOlderEvents()
    {
        await FailAsync(("m-yesterday", 400, false, 0));
        _kit.Time.Advance(TimeSpan.FromHours(30));
        await FailAsync(("m-today", 400, false, 0));
        var page = Render(DeliveryKit.Owner);

        _kit.Choose(page, "filter-time", "Last 24 hours");

        page.WaitForAssertion(() => Assert.Equal(["m-today"], MessageIds(page)), Patience);
    }

    [Fact]
    public async Task ReSendingTheSelectedEventsPutsThemBackInTheQueueAfterConfirming()
    {
        await FailAsync(("m-1", 400, false, 0), ("m-2", 400, false, 1), ("m-3", 400, false, 2));
        var page = Render(DeliveryKit.Owner);
        Select(page, "m-1");
        Select(page, "m-3");
        Assert.Equal("Re-send selected (2)", page.Find("[data-test=resend-selected]").TextContent.Trim());

        page.Find("[data-test=resend-selected]").Click();
        _kit.Providers.WaitForAssertion(() => Assert.Contains("Re-send the 2 selected events to Amplitude?", _kit.Providers.Find(".mud-dialog").TextContent, StringComparison.Ordinal), Patience);
        _kit.ClickDialogButton("Re-send");

        page.WaitForAssertion(() => Assert.Equal("2 events went back to the queue.", page.Find("[data-test=resend-outcome]").TextContent.Trim()), Patience);
        Assert.Equal(["m-1", "m-3"], _kit.Queues.Enqueued.Select(r => r.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(["m-2"], MessageIds(page));
    }

    [Fact]
    public async Task CancellingTheConfirmationReSendsNothing()
    {
        await FailAsync(("m-1", 400, false, 0));
        var page = Render(DeliveryKit.Owner);
        Select(page, "m-1");

        page.Find("[data-test=resend-selected]").Click();
        _kit.Providers.WaitForAssertion(() => Assert.NotEmpty(_kit.Providers.FindAll(".mud-dialog")), Patience);
        _kit.ClickDialogButton("Cancel");

        _kit.Providers.WaitForAssertion(() => Assert.Empty(_kit.Providers.FindAll(".mud-dialog")), Patience);
        Assert.Empty(_kit.Queues.Enqueued);
        Assert.Equal(["m-1"], MessageIds(page));
    }

    [Fact]
    public async Task ReSendingAllMatchingReSendsEveryEventOfTheFilterBeyondThePageShown()
    {
        var failures = Enumerable.Range(0, 60).Select(i => ($"m-400-{i:00}", 400, false, i))
            .Concat(Enumerable.Range(0, 3).Select(i => ($"m-503-{i}", 503, true, 60 + i)))
            .ToArray();
        await FailAsync(failures);
        var page = Render(DeliveryKit.Owner);
        page.Find("#filter-status").Change("400");
        page.WaitForAssertion(() => Assert.Equal("60 failed events, 1–50 shown", page.Find("[data-test=failed-count]").TextContent.Trim()), Patience);
        Assert.Equal(FailedEvents.PageSize, MessageIds(page).Count);

        page.Find("[data-test=resend-matching]").Click();
        _kit.Providers.WaitForAssertion(() => Assert.Contains("Re-send all 60 failed events matching the filters", _kit.Providers.Find(".mud-dialog").TextContent, StringComparison.Ordinal), Patience);
        _kit.ClickDialogButton("Re-send");

        page.WaitForAssertion(() => Assert.Equal("60 events went back to the queue.", page.Find("[data-test=resend-outcome]").TextContent.Trim()), Patience);
        Assert.Equal(60, _kit.Queues.Enqueued.Count);
        Assert.All(_kit.Queues.Enqueued, r => Assert.StartsWith("m-400-", r.MessageId, StringComparison.Ordinal));
        Assert.Empty(MessageIds(page));

        _kit.Choose(page, "filter-which", "Re-sent");
        page.WaitForAssertion(() => Assert.Equal("60 failed events, 1–50 shown", page.Find("[data-test=failed-count]").TextContent.Trim()), Patience);
        Assert.Contains("Re-sent 2026-03-02", page.Find("[data-test=failed-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSecondPageShowsTheOlderEvents()
    {
        await FailAsync(Enumerable.Range(0, 55).Select(i => ($"m-{i:00}", 400, false, i)).ToArray());
        var page = Render(DeliveryKit.Owner);

        page.Find("[data-test=failed-pages] button[aria-label='Page 2']").Click();

        page.WaitForAssertion(() => Assert.Equal(["m-04", "m-03", "m-02", "m-01", "m-00"], MessageIds(page)), Patience);
        Assert.Equal("55 failed events, 51–55 shown", page.Find("[data-test=failed-count]").TextContent.Trim());
    }

    [Fact]
    public async Task AReadOnlyMemberSeesTheFailedEventsButNoReSend()
    {
        await FailAsync(("m-1", 400, false, 0));

        var page = Render(DeliveryKit.Reader);

        Assert.Equal(["m-1"], MessageIds(page));
        Assert.Empty(page.FindAll("[data-test=resend-selected]"));
        Assert.Empty(page.FindAll("[data-test=resend-matching]"));
        Assert.Empty(page.FindAll("[data-test=select-row]"));
        Assert.Contains("Re-sending needs Source Admin", page.Find("[data-test=resend-needs-admin]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberWithoutAccessToTheSourceSeesNoFailedEvents()
    {
        await FailAsync(("m-1", 400, false, 0));

        var page = _kit.Render<FailedEvents>(DeliveryKit.Stranger);

        page.WaitForAssertion(() => Assert.Contains("Source Read-only", page.Find("[data-test=failed-problem]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-test=failed-row]"));
    }

    [Fact]
    public void TheOutcomeOfAReSendSaysWhyEventsWereNotQueued() =>
        Assert.Equal(
            "3 events went back to the queue. 2 could not be queued (the destination's queue did not take them); they stay here, try again later. 1 skipped: already re-sent, or kept without the event to send.",
            FailedEvents.Describe(new ResendResult(3, 2, 1)));

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    /// <summary>Reports aborted (or expired) events, each <c>seconds</c> after the clock's now.</summary>
    private async Task FailAsync(params (string MessageId, int Status, bool Expired, int Seconds)[] failures)
    {
        await EnsureStartedAsync();
        var now = _kit.Time.GetUtcNow();
        foreach (var (messageId, status, expired, seconds) in failures)
        {
            var at = now.AddSeconds(seconds);
            var record = Steps.Record(messageId, at);
            _kit.Report(expired ? Steps.Expired(record, at, status) : Steps.Aborted(record, at, status));
        }

        await _kit.FlushAsync();
    }

    private bool _started;

    private async Task EnsureStartedAsync()
    {
        if (!_started)
        {
            _started = true;
            await _kit.StartAsync();
        }
    }

    private IRenderedComponent<FailedEvents> Render(Principal principal)
    {
        var page = _kit.Render<FailedEvents>(principal);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=failed-count]")), Patience);
        return page;
    }

    private static void Select(IRenderedComponent<FailedEvents> page, string messageId) =>
        page.Find($"input[aria-label='Select event {messageId}']").Change(true);

    private static List<string> MessageIds(IRenderedComponent<FailedEvents> page) =>
        page.FindAll("[data-test=trace-link]").Select(a => a.TextContent.Trim()).ToList();
}
