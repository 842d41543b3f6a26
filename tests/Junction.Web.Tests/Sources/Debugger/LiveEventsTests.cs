using System.Text;
using Junction.Ingest.Debugger;
using Junction.Web.Sources.Debugger;

namespace Junction.Web.Tests.Sources.Debugger;

/// <summary>The debugger page's list: batches of arrivals, the cap, pause and resume.</summary>
public sealed class LiveEventsTests
{
    private const string Source = "src_1";
    private readonly DebuggerFeed _feed = new(TimeProvider.System);

    [Fact]
    public void ArrivalsReachTheListOnlyWhenFlushedNewestFirst()
    {
        var events = new LiveEvents();
        events.Add(DebuggerEntries.Track(_feed, Source, "First"));
        events.Add(DebuggerEntries.Track(_feed, Source, "Second"));

        Assert.Empty(events.Shown);
        Assert.True(events.HasArrivals);
        Assert.True(events.Flush());

        Assert.Equal(["Second", "First"], events.Shown.Select(r => r.Title));
        Assert.False(events.HasArrivals);
        Assert.False(events.Flush());
    }

    [Fact]
    public void AnEventAlreadyLoadedFromTheFeedIsNotShownTwice()
    {
        var events = new LiveEvents();
        var overlap = DebuggerEntries.Track(_feed, Source, "Both");
        events.Add(overlap);
        events.Load([overlap]);
        events.Add(DebuggerEntries.Track(_feed, Source, "Later"));

        events.Flush();

        Assert.Equal(["Later", "Both"], events.Shown.Select(r => r.Title));
    }

    [Fact]
    public void TheListKeepsTheNewestFiveHundred()
    {
        var events = new LiveEvents();
        for (var i = 0; i < 700; i++)
        {
            events.Add(DebuggerEntries.Track(_feed, Source, $"E{i}"));
            if (i % 100 == 0)
            {
                events.Flush();
            }
        }

        events.Flush();

        Assert.Equal(LiveEvents.Capacity, events.Shown.Count);
        Assert.Equal("E699", events.Shown[0].Title);
        Assert.Equal("E200", events.Shown[^1].Title);
    }

    [Fact]
    public void WhilePausedArrivalsAreCountedAndResumeShowsThem()
    {
        var events = new LiveEvents();
        events.Add(DebuggerEntries.Track(_feed, Source, "Before"));
        events.Flush();

        events.Pause();
        events.Add(DebuggerEntries.Track(_feed, Source, "During 1"));
        events.Add(DebuggerEntries.Track(_feed, Source, "During 2"));
        Assert.True(events.Flush());

        Assert.Equal(["Before"], events.Shown.Select(r => r.Title));
        Assert.Equal(2, events.WaitingCount);

        events.Add(DebuggerEntries.Track(_feed, Source, "During 3"));
        events.Resume();

        Assert.False(events.Paused);
        Assert.Equal(0, events.WaitingCount);
        Assert.Equal(["During 3", "During 2", "During 1", "Before"], events.Shown.Select(r => r.Title));
    }

    [Fact]
    public void TheWaitingCounterCountsEveryArrivalEvenPastTheCap()
    {
        var events = new LiveEvents();
        events.Pause();
        for (var i = 0; i < 1200; i++)
        {
            events.Add(DebuggerEntries.Track(_feed, Source, $"E{i}"));
        }

        events.Flush();
        Assert.Equal(1200, events.WaitingCount);

        events.Resume();
        Assert.Equal(LiveEvents.Capacity, events.Shown.Count);
        Assert.Equal("E1199", events.Shown[0].Title);
    }

    [Fact]
    public void TheSearchReadsTheRawPayloadAndTheReason()
    {
        var rejected = new EventRow(DebuggerEntries.RejectedTrack(_feed, Source));
        var accepted = new EventRow(DebuggerEntries.Track(_feed, Source, "Order Completed", """{"coupon":"SPRING"}"""));
        var all = DebuggerFilter.All;

        Assert.True((all with { Search = "spring" }).Matches(accepted));
        Assert.False((all with { Search = "spring" }).Matches(rejected));
        Assert.True((all with { Search = "EVENT_NOT_DEFINED" }).Matches(rejected));
        Assert.True((all with { Statuses = new HashSet<DebuggerStatus> { DebuggerStatus.Rejected } }).Matches(rejected));
        Assert.False((all with { Statuses = new HashSet<DebuggerStatus> { DebuggerStatus.Rejected } }).Matches(accepted));
        Assert.True((all with { Types = new HashSet<string>(StringComparer.Ordinal) { "track" } }).Matches(accepted));
        Assert.False((all with { Types = new HashSet<string>(StringComparer.Ordinal) { "page" } }).Matches(accepted));
    }

    [Fact]
    public void TheRawViewIndentsJsonAndKeepsOtherBytesAsTheyCame()
    {
        Assert.Equal("{\n  \"city\": \"Zürich\",\n  \"n\": [\n    1\n  ]\n}", JsonText.Indent(Encoding.UTF8.GetBytes("""{"city":"Z\u00fcrich","n":[1]}""")));
        Assert.Equal("{not json", JsonText.Indent(Encoding.UTF8.GetBytes("{not json")));
        Assert.Equal("", JsonText.Indent(ReadOnlyMemory<byte>.Empty));
    }
}
