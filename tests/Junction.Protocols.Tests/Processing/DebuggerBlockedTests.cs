using System.Text;
using System.Text.Json;
using Junction.Events;
using Junction.Ingest.Debugger;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Protocols.Tests.Processing;

/// <summary>The debugger's "blocked" status: its JSON and its own sampling budget.</summary>
public sealed class DebuggerBlockedTests
{
    [Fact]
    public void ABlockedEntryIsWrittenWithStatusBlockedItsReasonAndTheStoredEvent()
    {
        var feed = new DebuggerFeed(new FakeTimeProvider(StageHarness.Now));
        var payload = Encoding.UTF8.GetBytes("""{"type":"track","event":"Coupon Applied","userId":"u1"}""");

        var entry = feed.Record("src-1", StageHarness.Now, DebuggerStatus.Blocked, EventType.Track, "Coupon Applied", "m1", "u1", null,
            new Rejection("unplanned", "\"Coupon Applied\" is not in the tracking plan.", "event"), payload, payload);
        var json = JsonSerializer.Deserialize<JsonElement>(DebuggerJson.Serialize(entry));

        Assert.Equal("blocked", json.GetProperty("status").GetString());
        Assert.Equal("""{"code":"unplanned","message":"\"Coupon Applied\" is not in the tracking plan.","field":"event"}""", json.GetProperty("reason").GetRawText());
        Assert.Equal("Coupon Applied", json.GetProperty("raw").GetProperty("event").GetString());
        Assert.Equal("Coupon Applied", json.GetProperty("event").GetProperty("event").GetString());
    }

    [Fact]
    public void BlockedEventsHaveTheirOwnSamplingBudgetSoRejectionsAndAcceptancesStillShow()
    {
        var feed = new DebuggerFeed(new FakeTimeProvider(StageHarness.Now));

        var blocked = Enumerable.Range(0, DebuggerFeed.SampledPerSecond + 5).Count(_ => feed.ShouldCapture("src-1", DebuggerStatus.Blocked));

        Assert.Equal(DebuggerFeed.SampledPerSecond, blocked);
        Assert.True(feed.ShouldCapture("src-1", DebuggerStatus.Rejected));
        Assert.True(feed.ShouldCapture("src-1", DebuggerStatus.Accepted));
    }
}
