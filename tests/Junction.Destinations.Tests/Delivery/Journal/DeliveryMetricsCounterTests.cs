using Junction.Destinations.Delivery.Journal;

namespace Junction.Destinations.Tests.Delivery.Journal;

public sealed class DeliveryMetricsCounterTests
{
    [Fact]
    public async Task WhileStepsAreCountedEveryDrainedCountComesWithItsReasonAndItsLatency()
    {
        var counter = new DeliveryMetricsCounter();
        var at = JournalHarness.Start;
        var record = Steps.Record("m-1", at);
        const int Each = 50_000;
        var counting = Task.Run(() =>
        {
            for (var i = 0; i < Each; i++)
            {
                counter.Count(Steps.Retrying("m-1", at, 1, 503, "Service Unavailable"));
                counter.Count(Steps.Delivered(record, at));
            }
        });

        long retried = 0, reasons = 0, delivered = 0, latencies = 0, drains = 0;
        bool done;
        do
        {
            // A drain begun after the counting ended is the last one needed.
            done = counting.IsCompleted;
            foreach (var minute in counter.Drain(at.AddMinutes(-10)))
            {
                retried += minute.Retried;
                reasons += minute.Reasons.Values.Sum();
                delivered += minute.Delivered;
                latencies += minute.Latency.Sum();
            }

            drains++;
            Assert.True(reasons >= retried, $"after {drains} drains {retried} retries were counted but only {reasons} reasons");
            Assert.True(latencies >= delivered, $"after {drains} drains {delivered} deliveries were counted but only {latencies} latencies");
        }
        while (!done);

        await counting;
        Assert.Equal((Each, Each, Each, Each), (retried, reasons, delivered, latencies));
    }
}
