using Bunit;
using Junction.Web.Destinations.Delivery;

namespace Junction.Web.Tests.Destinations.Delivery;

/// <summary>
/// "Where is my event?" over a real delivery journal: the steps the fan-out and the router report for a messageId,
/// told as a timeline in plain words.
/// </summary>
public sealed class EventTraceTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly DeliveryKit _kit = new();

    [Fact]
    public async Task ADeliveredEventShowsItsMappedPayloadThenTheDelivery()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var record = Steps.Record("m-delivered", now);
        _kit.Report(Steps.Queued(record, now));
        _kit.Report(Steps.Delivered(record, now.AddSeconds(2)));
        await _kit.FlushAsync();

        var trace = Find("m-delivered");

        Assert.Equal(["Queued", "Attempt 1: delivered"], Titles(trace));
        Assert.Equal("Delivered", trace.Find("[data-test=trace-final]").TextContent.Trim());
        Assert.Contains("Mapping: Track calls", trace.Find("[data-test=trace-destination] h3").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"event_type\": \"Order Completed\"", trace.Find("[data-test=trace-payload] pre").TextContent, StringComparison.Ordinal);
        Assert.Contains("The tool took the event: it answered 200 in 80 ms.", Explanations(trace)[1], StringComparison.Ordinal);
        Assert.Equal("Delivered at 2026-03-02 12:00:02 UTC.", trace.Find("[data-test=trace-summary]").TextContent.Trim());
    }

    [Fact]
    public async Task ARetriedThenDeliveredEventSaysItWaitedWhatTheToolAskedFor()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var record = Steps.Record("m-retried", now);
        _kit.Report(Steps.Queued(record, now));
        _kit.Report(Steps.Retrying(record, now.AddSeconds(1), 1, 429, "The tool answered 429 and asked to wait 30 s; retrying at 2026-03-02 12:00:31Z.", "{\"error\":\"rate limited\"}"));
        _kit.Report(Steps.Retrying(record, now.AddSeconds(31), 2, 503, "The tool answered 503 (service unavailable); retrying at 2026-03-02 12:00:45Z.", "Service Unavailable"));
        _kit.Report(Steps.Delivered(record, now.AddSeconds(45), attempt: 3));
        await _kit.FlushAsync();

        var trace = Find("m-retried");

        Assert.Equal(
            ["Queued", "Attempt 1: 429 from the tool, retrying", "Attempt 2: 503 from the tool, retrying", "Attempt 3: delivered"],
            Titles(trace));
        var explanations = Explanations(trace);
        Assert.Equal("429 from the tool in 120 ms: too many requests: the tool asked to slow down; retried after the 30 s it asked for.", explanations[1]);
        Assert.Equal("503 from the tool in 120 ms: an error at the tool's server; a temporary failure, so Junction tried again 14 s later.", explanations[2]);
        Assert.Contains("{\"error\":\"rate limited\"}", trace.FindAll("[data-test=trace-response]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Delivered", trace.Find("[data-test=trace-final]").TextContent.Trim());
    }

    [Fact]
    public async Task AnAbortedEventSaysTheToolRefusedItAndThatItCanBeReSent()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var record = Steps.Record("m-aborted", now);
        _kit.Report(Steps.Queued(record, now));
        _kit.Report(Steps.Aborted(record, now.AddSeconds(1), 401, "{\"error\":\"invalid api_key\"}"));
        await _kit.FlushAsync();

        var trace = Find("m-aborted");

        Assert.Equal(["Queued", "Attempt 1: refused, not retried"], Titles(trace));
        var explanation = Explanations(trace)[1];
        Assert.Contains("The tool answered 401 (unauthorized: check the API key in Settings) in 50 ms.", explanation, StringComparison.Ordinal);
        Assert.Contains("kept in Failed events", explanation, StringComparison.Ordinal);
        Assert.Contains("invalid api_key", trace.Find("[data-test=trace-response]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Aborted", trace.Find("[data-test=trace-final]").TextContent.Trim());
        Assert.StartsWith("Not delivered: the tool refused it.", trace.Find("[data-test=trace-summary]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFilteredEventSaysWhyInPlainWordsWithTheCode()
    {
        await _kit.StartAsync();
        _kit.Report(Steps.Filtered("m-filtered", _kit.Time.GetUtcNow(), "FILTERED_BY_RULES: filter \"Drop test events\" matched"));
        await _kit.FlushAsync();

        var trace = Find("m-filtered");

        Assert.Equal(["Not sent: a destination filter dropped it"], Titles(trace));
        Assert.Equal("Not sent to this destination (FILTERED_BY_RULES): filter \"Drop test events\" matched", Explanations(trace)[0]);
        Assert.Equal("Filtered", trace.Find("[data-test=trace-final]").TextContent.Trim());
        Assert.Contains("At Amplitude", trace.Find("[data-test=trace-destination] h3").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventThatWentOnlyToAnotherDestinationOfTheSourceSaysSoAndLinksToItsTrace()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var record = Steps.Record("m-elsewhere", now, DeliveryKit.OtherDestinationId);
        _kit.Report(Steps.Queued(record, now));
        _kit.Report(Steps.Delivered(record, now.AddSeconds(1)));
        await _kit.FlushAsync();

        var trace = Find("m-elsewhere");

        Assert.Contains("did not come to Amplitude", trace.Find("[data-test=trace-none]").TextContent, StringComparison.Ordinal);
        var link = trace.Find("[data-test=trace-elsewhere] a");
        Assert.Equal("Mixpanel", link.TextContent.Trim());
        Assert.Equal("/w/acme/destinations/dst_mixpanel/delivery?messageId=m-elsewhere#trace", link.GetAttribute("href"));
        Assert.Contains("delivered", trace.Find("[data-test=trace-elsewhere] li").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownMessageIdSaysWhereToLookFirst()
    {
        await _kit.StartAsync();

        var trace = Find("m-unknown");

        Assert.Contains("no step of m-unknown at any destination of this source", trace.Find("[data-test=trace-none]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Debugger", trace.Find("[data-test=trace-none]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMessageIdInTheAddressOpensItsTraceAndAReSendShowsAsASecondLife()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        var record = Steps.Record("m-linked", now);
        _kit.Report(Steps.Queued(record, now));
        _kit.Report(Steps.Aborted(record, now.AddSeconds(1)));
        await _kit.FlushAsync();
        _kit.Time.Advance(TimeSpan.FromMinutes(5));
        var letters = await _kit.DeadLetters.ListAsync(new(DeliveryKit.DestinationId), 0, 10, CancellationToken.None);
        await _kit.DeadLetters.ResendAsync(DeliveryKit.DestinationId, [letters.Items[0].Id], CancellationToken.None);
        await _kit.FlushAsync();

        var trace = _kit.Render<EventTrace>(DeliveryKit.Owner, p => p.Add(c => c.MessageId, "m-linked"));

        trace.WaitForAssertion(() => Assert.Equal(["Queued", "Attempt 1: refused, not retried", "Re-sent"], Titles(trace)), Patience);
        Assert.Equal("m-linked", trace.Find("#trace-message-id").GetAttribute("value"));
        Assert.Equal("Queued", trace.Find("[data-test=trace-final]").TextContent.Trim());
    }

    [Fact]
    public async Task AMemberWithoutAccessToTheSourceCannotTraceItsEvents()
    {
        await _kit.StartAsync();
        var now = _kit.Time.GetUtcNow();
        _kit.Report(Steps.Queued(Steps.Record("m-secret", now), now));
        await _kit.FlushAsync();

        var trace = Find("m-secret", DeliveryKit.Stranger);

        Assert.Empty(trace.FindAll("[data-test=trace-result]"));
        Assert.Contains("Source Read-only", trace.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private IRenderedComponent<EventTrace> Find(string messageId, Workspace.Access.Principal? principal = null)
    {
        var trace = _kit.Render<EventTrace>(principal ?? DeliveryKit.Owner);
        trace.Find("#trace-message-id").Input(messageId);
        trace.Find("[data-test=trace-form]").Submit();
        trace.WaitForAssertion(() => Assert.True(trace.FindAll("[data-test=trace-result]").Count > 0 || trace.FindAll("[role=alert]").Count > 0), Patience);
        return trace;
    }

    private static List<string> Titles(IRenderedComponent<EventTrace> trace) =>
        trace.FindAll("[data-test=trace-step] .jn-trace-title").Select(t => t.TextContent.Trim()).ToList();

    private static List<string> Explanations(IRenderedComponent<EventTrace> trace) =>
        trace.FindAll("[data-test=trace-step] .jn-trace-explanation").Select(t => t.TextContent.Trim()).ToList();
}
