using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>A counter cell's identity: one destination in one minute (Unix minutes).</summary>
internal readonly record struct MetricsKey(string DestinationId, long Minute);

/// <summary>A count under a code: a discard reason of filtered events, or the status of retried, aborted or expired ones.</summary>
internal readonly record struct ReasonKey(DeliveryState State, string Code);

/// <summary>What one destination did in one minute, as drained from memory or read back from the store.</summary>
internal sealed record MinuteMetrics(
    MetricsKey Key,
    long Delivered,
    long Retried,
    long Aborted,
    long Expired,
    long Filtered,
    IReadOnlyDictionary<ReasonKey, long> Reasons,
    long[] Latency)
{
    public bool IsEmpty => Delivered == 0 && Retried == 0 && Aborted == 0 && Expired == 0 && Filtered == 0 && Reasons.Count == 0;
}

/// <summary>
/// Counts every reported step per destination and minute in memory, with interlocked increments: cheap enough for
/// every step and independent of the trace writer, so a full trace queue never loses a count.
/// <see cref="DeliveryMetricsFlusher"/> drains the counts into the store every few seconds.
/// </summary>
internal sealed class DeliveryMetricsCounter
{
    private readonly ConcurrentDictionary<MetricsKey, Cell> _cells = new();

    public void Count(DeliveryStep step)
    {
        if (step.State == DeliveryState.Queued)
        {
            return;
        }

        // A count's detail (its reason, its latency) is added before the count, and Drain takes the counts before the
        // details, so a drained count always comes with its detail.
        var cell = _cells.GetOrAdd(new MetricsKey(step.DestinationId, Minute(step.At)), static _ => new Cell());
        switch (step.State)
        {
            case DeliveryState.Delivered:
                var latency = step.Record is { } record ? step.At - record.ReceivedAt : step.Latency;
                if (latency is { } value)
                {
                    Interlocked.Increment(ref cell.Latency[LatencyHistogram.Bucket(value < TimeSpan.Zero ? TimeSpan.Zero : value)]);
                }

                Interlocked.Increment(ref cell.Delivered);
                break;
            case DeliveryState.Retrying:
                cell.Add(new ReasonKey(step.State, DiscardReasons.FailureCode(step.Status)));
                Interlocked.Increment(ref cell.Retried);
                break;
            case DeliveryState.Aborted:
                cell.Add(new ReasonKey(step.State, DiscardReasons.FailureCode(step.Status)));
                Interlocked.Increment(ref cell.Aborted);
                break;
            case DeliveryState.Expired:
                cell.Add(new ReasonKey(step.State, DiscardReasons.FailureCode(step.Status)));
                Interlocked.Increment(ref cell.Expired);
                break;
            case DeliveryState.Filtered:
                cell.Add(new ReasonKey(step.State, DiscardReasons.Classify(step.Reason)));
                Interlocked.Increment(ref cell.Filtered);
                break;
        }
    }

    /// <summary>Takes every non-zero count, leaving zeros behind, and forgets cells of minutes before <paramref name="forgetBefore"/>.</summary>
    public List<MinuteMetrics> Drain(DateTimeOffset forgetBefore)
    {
        var drained = new List<MinuteMetrics>();
        var oldMinute = Minute(forgetBefore);
        foreach (var (key, cell) in _cells)
        {
            var (delivered, retried, aborted, expired, filtered) = (
                Interlocked.Exchange(ref cell.Delivered, 0),
                Interlocked.Exchange(ref cell.Retried, 0),
                Interlocked.Exchange(ref cell.Aborted, 0),
                Interlocked.Exchange(ref cell.Expired, 0),
                Interlocked.Exchange(ref cell.Filtered, 0));
            var reasons = new Dictionary<ReasonKey, long>();
            foreach (var (reason, box) in cell.Reasons)
            {
                var count = Interlocked.Exchange(ref box.Value, 0);
                if (count != 0)
                {
                    reasons[reason] = count;
                }
            }

            var latency = new long[LatencyHistogram.BucketCount];
            for (var i = 0; i < latency.Length; i++)
            {
                latency[i] = Interlocked.Exchange(ref cell.Latency[i], 0);
            }

            var metrics = new MinuteMetrics(key, delivered, retried, aborted, expired, filtered, reasons, latency);
            if (!metrics.IsEmpty || latency.AsSpan().ContainsAnyExcept(0))
            {
                drained.Add(metrics);
            }
            else if (key.Minute < oldMinute)
            {
                _cells.TryRemove(key, out _);
            }
        }

        return drained;
    }

    /// <summary>Puts drained counts back after a failed write, so that they are written next time.</summary>
    public void Restore(IEnumerable<MinuteMetrics> drained)
    {
        foreach (var metrics in drained)
        {
            var cell = _cells.GetOrAdd(metrics.Key, static _ => new Cell());
            Interlocked.Add(ref cell.Delivered, metrics.Delivered);
            Interlocked.Add(ref cell.Retried, metrics.Retried);
            Interlocked.Add(ref cell.Aborted, metrics.Aborted);
            Interlocked.Add(ref cell.Expired, metrics.Expired);
            Interlocked.Add(ref cell.Filtered, metrics.Filtered);
            foreach (var (reason, count) in metrics.Reasons)
            {
                cell.Add(reason, count);
            }

            for (var i = 0; i < metrics.Latency.Length; i++)
            {
                Interlocked.Add(ref cell.Latency[i], metrics.Latency[i]);
            }
        }
    }

    public static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private sealed class Cell
    {
        public readonly ConcurrentDictionary<ReasonKey, StrongBox<long>> Reasons = new();
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];
        public long Delivered;
        public long Retried;
        public long Aborted;
        public long Expired;
        public long Filtered;

        public void Add(ReasonKey reason, long count = 1) =>
            Interlocked.Add(ref Reasons.GetOrAdd(reason, static _ => new StrongBox<long>()).Value, count);
    }
}
