using Bunit;
using Junction.Destinations.Delivery;
using Junction.Web.Destinations.Delivery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Web.Tests.Destinations.Delivery;

/// <summary>
/// The Event Delivery tab over a real delivery journal: what the router and the fan-out report is counted, written by
/// the journal's flusher and read back by <c>DeliveryMetricsQuery</c>, with a fake clock deciding the range and the
/// refresh.
/// </summary>
public sealed class DeliveryViewTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly DeliveryKit _kit = new();

    [Fact]
    public async Task TheTotalsCountDeliveredRetriedFailedAndDiscardedEvents()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            _kit.Report(Steps.Delivered(Steps.Record($"d-{i}", now.AddSeconds(-1)), now));
        }

        var retried = Steps.Record("r-1", now);
        _kit.Report(Steps.Retrying(retried, now, 1, 503, "The tool answered 503 (service unavailable); retrying.", "Service Unavailable"));
        _kit.Report(Steps.Retrying(retried, now, 2, 429, "The tool answered 429 and asked to wait 30 s; retrying.", "Too Many Requests"));
        _kit.Report(Steps.Aborted(Steps.Record("a-1", now), now));
        _kit.Report(Steps.Expired(Steps.Record("e-1", now), now));
        _kit.Report(Steps.Filtered("f-1", now, "FILTERED_BY_RULES: filter \"Drop test events\""));
        _kit.Report(Steps.Filtered("f-2", now, "FILTERED_BY_RULES: filter \"Drop test events\""));
        _kit.Report(Steps.Filtered("f-3", now, "NO_MATCHING_MAPPING: no trigger matched"));

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);

        page.WaitForAssertion(() => Assert.Equal("3", Total(page, "delivered")), Patience);
        Assert.Equal("2", Total(page, "retried"));
        Assert.Equal("2", Total(page, "failed"));
        Assert.Contains("1 aborted · 1 expired", page.Find("[data-test=failed]").TextContent, StringComparison.Ordinal);
        Assert.Equal("3", Total(page, "discarded"));
        Assert.Equal(
            ["A destination filter dropped it FILTERED_BY_RULES 2", "No enabled mapping's trigger matched it NO_MATCHING_MAPPING 1"],
            Rows(page, "discard-reasons"));
        Assert.Contains("Retried 429 too many requests: the tool asked to slow down 1", Rows(page, "failures"));
        Assert.Contains("Aborted 400 bad request: the tool found the event invalid 1", Rows(page, "failures"));
        Assert.Contains("3 delivered, 2 retried, 2 failed and 3 discarded", page.Find("[data-test=delivery-chart]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatencyPercentilesComeFromTheTimeEachDeliveredEventTookFromReceiptToTheTool()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var latencies = Enumerable.Repeat(200, 80).Concat(Enumerable.Repeat(800, 16)).Concat(Enumerable.Repeat(3_000, 4)).ToList();
        for (var i = 0; i < latencies.Count; i++)
        {
            _kit.Report(Steps.Delivered(Steps.Record($"m-{i}", now.AddMilliseconds(-latencies[i])), now));
        }

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);

        page.WaitForAssertion(() => Assert.Equal("100", Total(page, "delivered")), Patience);
        // The journal's histogram buckets are about 9% wide: each percentile is within 5% of the true value.
        Assert.InRange(Shown.Milliseconds(page.Find("[data-test=p50]").TextContent), 190, 210);
        Assert.InRange(Shown.Milliseconds(page.Find("[data-test=p95]").TextContent), 760, 840);
        Assert.InRange(Shown.Milliseconds(page.Find("[data-test=p99]").TextContent), 2_850, 3_150);
    }

    [Fact]
    public async Task WithoutDeliveriesTheLatencyIsADashAndTheTablesSayNothingFailed()
    {
        await _kit.StartAsync();

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);

        page.WaitForAssertion(() => Assert.Equal("0", Total(page, "delivered")), Patience);
        Assert.Equal("—", page.Find("[data-test=p50]").TextContent);
        Assert.Contains("No event was discarded in the last 24 hours", page.Find("[data-test=discard-reasons]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No attempt failed", page.Find("[data-test=failures]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageReadsTheCountsAgainEveryThirtySeconds()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        _kit.Report(Steps.Delivered(Steps.Record("m-1", now), now));
        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);
        page.WaitForAssertion(() => Assert.Equal("1", Total(page, "delivered")), Patience);

        _kit.Report(Steps.Delivered(Steps.Record("m-2", now), now));
        _kit.Report(Steps.Delivered(Steps.Record("m-3", now), now));
        _kit.Time.Advance(DeliveryView.RefreshInterval - TimeSpan.FromSeconds(1));
        Assert.Equal("1", Total(page, "delivered"));

        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Equal("3", Total(page, "delivered")), Patience);
    }

    [Fact]
    public async Task ChoosingOneHourCountsOnlyTheLastHour()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        _kit.Report(Steps.Delivered(Steps.Record("old", now.AddHours(-3)), now.AddHours(-3)));
        _kit.Report(Steps.Delivered(Steps.Record("new", now), now));
        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);
        page.WaitForAssertion(() => Assert.Equal("2", Total(page, "delivered")), Patience);

        page.Find("[data-range='1h']").Click();

        page.WaitForAssertion(() => Assert.Equal("1", Total(page, "delivered")), Patience);
        Assert.Equal("true", page.Find("[data-range='1h']").GetAttribute("aria-pressed"));
        Assert.Contains("Events per minute, last 1 hour", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetryingDestinationShowsSinceWhenAndTheToolsLastAnswer()
    {
        await _kit.StartAsync();
        var state = Run();
        var failedAt = _kit.Time.GetUtcNow();
        state.Report(failedAt, probe: false, answered: false, delivered: false, 503, "<html>Service Unavailable</html>");
        _kit.Time.Advance(TimeSpan.FromMinutes(5));

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);

        page.WaitForAssertion(() => Assert.Equal("Retrying", page.Find("[data-test=health-state]").TextContent.Trim()), Patience);
        Assert.Contains("Failing since 2026-03-02 12:00:00 UTC (5 min)", page.Find("[data-test=health-explanation]").TextContent, StringComparison.Ordinal);
        var error = page.Find("[data-test=health-last-error]").TextContent;
        Assert.Contains("503 (an error at the tool's server)", error, StringComparison.Ordinal);
        Assert.Contains("<html>Service Unavailable</html>", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APausedDestinationSaysWhenItIsTriedNext()
    {
        await _kit.StartAsync();
        var options = new DeliveryOptions();
        var state = Run(options);
        state.Report(_kit.Time.GetUtcNow(), probe: false, answered: false, delivered: false, 0, "Connection refused");
        _kit.Time.Advance(options.PauseAfter);
        state.TryAcquire(_kit.Time.GetUtcNow(), out _);

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner);

        page.WaitForAssertion(() => Assert.Equal("Paused", page.Find("[data-test=health-state]").TextContent.Trim()), Patience);
        Assert.Equal("2026-03-02 12:31:00 UTC (in 1 min)", page.Find("[data-test=health-next-probe]").TextContent.Trim());
        Assert.Contains("No answer (a timeout or a refused connection)", page.Find("[data-test=health-last-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledDestinationSaysEventsAreNotSent()
    {
        await _kit.StartAsync();

        var page = _kit.Render<DeliveryView>(DeliveryKit.Owner, destination: DeliveryKit.View with { Enabled = false });

        page.WaitForAssertion(() => Assert.Equal("Disabled", page.Find("[data-test=health-state]").TextContent.Trim()), Patience);
        Assert.Contains("events are not sent to it", page.Find("[data-test=health-explanation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberWithoutAccessToTheSourceSeesNoNumbers()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        _kit.Report(Steps.Delivered(Steps.Record("m-1", now), now));

        var page = _kit.Render<DeliveryView>(DeliveryKit.Stranger);

        page.WaitForAssertion(() => Assert.Contains("Source Read-only", page.Find("[data-test=delivery-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-test=totals]"));
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private DestinationState Run(DeliveryOptions? options = null)
    {
        var state = new DestinationState(_kit.Destinations.Find(DeliveryKit.DestinationId)!, options ?? new DeliveryOptions(), _kit.Time, NullLogger.Instance);
        _kit.Health.Add(state);
        return state;
    }

    private static string Total(IRenderedComponent<DeliveryView> page, string which) =>
        page.Find($"[data-test={which}] h5").TextContent.Trim();

    private static List<string> Rows(IRenderedComponent<DeliveryView> page, string table) =>
        page.FindAll($"[data-test={table}] tbody tr")
            .Select(r => string.Join(' ', r.Children.Select(c => c.TextContent.Trim())))
            .ToList();
}
