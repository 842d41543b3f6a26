namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// The latency buckets Event Delivery's percentiles are computed from. Bucket 0 holds latencies under a millisecond;
/// bucket <c>i &gt; 0</c> holds <c>[2^((i-1)/8), 2^(i/8))</c> ms, so every bucket is about 9% wide and a percentile
/// read from its middle is within about 5% of the truth. 256 buckets reach past a month, more than any retry window.
/// Histograms add up, so one per destination and minute is enough for percentiles over any range.
/// </summary>
internal static class LatencyHistogram
{
    public const int BucketCount = 256;
    private const double StepsPerDoubling = 8;

    public static int Bucket(TimeSpan latency)
    {
        var ms = latency.TotalMilliseconds;
        if (ms < 1)
        {
            return 0;
        }

        var index = 1 + (int)Math.Floor(Math.Log2(ms) * StepsPerDoubling);
        return Math.Clamp(index, 1, BucketCount - 1);
    }

    /// <summary>The value a bucket stands for: its geometric middle, in milliseconds.</summary>
    public static double Middle(int bucket) =>
        bucket == 0 ? 0.5 : Math.Pow(2, (bucket - 0.5) / StepsPerDoubling);

    /// <summary>The latency (ms) under which <paramref name="quantile"/> of the counted deliveries fall, or null when none were counted.</summary>
    public static double? Percentile(ReadOnlySpan<long> buckets, double quantile)
    {
        long total = 0;
        foreach (var count in buckets)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return Math.Round(Middle(i), 1);
            }
        }

        return Math.Round(Middle(buckets.Length - 1), 1);
    }
}

/// <summary>The latency percentiles Event Delivery shows, in milliseconds; null when nothing was delivered.</summary>
internal sealed record LatencyPercentiles(double? P50, double? P95, double? P99)
{
    public static LatencyPercentiles From(ReadOnlySpan<long> buckets) => new(
        LatencyHistogram.Percentile(buckets, 0.50),
        LatencyHistogram.Percentile(buckets, 0.95),
        LatencyHistogram.Percentile(buckets, 0.99));
}
