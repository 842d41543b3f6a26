using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Junction.Ingest.Tracking;

/// <summary>
/// A token bucket per source (<see cref="TrackingOptions.SourceEventsPerSecond"/>, off by default). A request takes
/// one token per event; when the bucket is short the request is refused whole and told when enough tokens will be
/// back.
/// </summary>
internal sealed class SourceRateLimiter(IOptions<TrackingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public bool TryAcquire(string sourceId, int events, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var rate = options.Value.SourceEventsPerSecond;
        if (rate <= 0)
        {
            return true;
        }

        var capacity = (double)rate + options.Value.SourceBurst;
        var bucket = _buckets.GetOrAdd(sourceId, _ => new Bucket(capacity, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (elapsed * rate));
            bucket.Stamp = now;
            if (bucket.Tokens >= events)
            {
                bucket.Tokens -= events;
                return true;
            }

            var missing = Math.Min(events, capacity) - bucket.Tokens;
            retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(missing / rate)));
            return false;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
