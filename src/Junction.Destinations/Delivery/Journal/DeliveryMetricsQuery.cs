using Junction.Destinations.Framework;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>Counts of one destination over a time range, with end-to-end latency percentiles (ms) of its deliveries.</summary>
internal sealed record DeliveryTotals(long Delivered, long Retried, long Aborted, long Expired, long Filtered, LatencyPercentiles Latency)
{
    /// <summary>Events that will not arrive unless re-sent: aborted and expired.</summary>
    public long NotDelivered => Aborted + Expired;
}

/// <summary>One time bucket of a destination's series.</summary>
internal sealed record DeliveryPoint(DateTimeOffset Time, DeliveryTotals Totals);

/// <summary>A count under a code: a discard reason for filtered events, a status (or <c>NO_RESPONSE</c>) for the others.</summary>
internal sealed record ReasonCount(DeliveryState State, string Code, long Count);

/// <summary>Event Delivery for one destination over [<see cref="Start"/>, <see cref="End"/>).</summary>
internal sealed record DeliveryReport(
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Bucket,
    DeliveryTotals Totals,
    IReadOnlyList<DeliveryPoint> Series,
    IReadOnlyList<ReasonCount> DiscardReasons,
    IReadOnlyList<ReasonCount> Failures);

/// <summary>
/// Event Delivery's numbers for a destination: delivered, retried attempts, aborted, expired, filtered by discard
/// reason, and latency percentiles from the summed histograms, over any range in buckets of a minute or more. Counts
/// still in memory are written first, so the answer includes what happened a moment ago.
/// </summary>
internal sealed class DeliveryMetricsQuery(JournalStore store, DeliveryMetricsFlusher flusher)
{
    /// <summary>The most buckets one report may hold.</summary>
    public const int MaxPoints = 20_000;

    public async Task<DeliveryReport> ReportAsync(
        string destinationId, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket, CancellationToken cancellationToken)
    {
        if (bucket < TimeSpan.FromMinutes(1) || bucket.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), "Buckets are whole minutes.");
        }

        start = Floor(start, bucket);
        end = Floor(end, bucket) < end ? Floor(end, bucket) + bucket : Floor(end, bucket);
        var points = (int)Math.Min(MaxPoints, Math.Max(0, (end - start).Ticks / bucket.Ticks));
        end = start + (bucket * points);

        await flusher.FlushAsync(cancellationToken);
        var minutes = await store.ReadMetricsAsync(
            destinationId, DeliveryMetricsCounter.Minute(start), DeliveryMetricsCounter.Minute(end), cancellationToken);

        var sums = new Sum[points];
        var all = new Sum();
        var reasons = new Dictionary<ReasonKey, long>();
        foreach (var m in minutes)
        {
            var index = (int)((DateTimeOffset.FromUnixTimeSeconds(m.Key.Minute * 60) - start).Ticks / bucket.Ticks);
            if (index < 0 || index >= points)
            {
                continue;
            }

            (sums[index] ??= new Sum()).Add(m);
            all.Add(m);
            foreach (var (key, count) in m.Reasons)
            {
                reasons[key] = reasons.GetValueOrDefault(key) + count;
            }
        }

        var series = new DeliveryPoint[points];
        for (var i = 0; i < points; i++)
        {
            series[i] = new DeliveryPoint(start + (bucket * i), (sums[i] ?? Sum.Empty).Totals());
        }

        var ordered = reasons.Select(r => new ReasonCount(r.Key.State, r.Key.Code, r.Value))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        return new DeliveryReport(
            start,
            end,
            bucket,
            all.Totals(),
            series,
            ordered.Where(r => r.State == DeliveryState.Filtered).ToList(),
            ordered.Where(r => r.State != DeliveryState.Filtered).ToList());
    }

    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan bucket) =>
        new(time.UtcTicks - (time.UtcTicks % bucket.Ticks), TimeSpan.Zero);

    private sealed class Sum
    {
        public static readonly Sum Empty = new();
        private readonly long[] _latency = new long[LatencyHistogram.BucketCount];
        private long _delivered;
        private long _retried;
        private long _aborted;
        private long _expired;
        private long _filtered;

        public void Add(MinuteMetrics m)
        {
            _delivered += m.Delivered;
            _retried += m.Retried;
            _aborted += m.Aborted;
            _expired += m.Expired;
            _filtered += m.Filtered;
            for (var i = 0; i < _latency.Length; i++)
            {
                _latency[i] += m.Latency[i];
            }
        }

        public DeliveryTotals Totals() =>
            new(_delivered, _retried, _aborted, _expired, _filtered, LatencyPercentiles.From(_latency));
    }
}
