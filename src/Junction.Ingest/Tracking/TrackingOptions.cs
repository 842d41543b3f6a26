using System.ComponentModel.DataAnnotations;

namespace Junction.Ingest.Tracking;

/// <summary>Settings of the Tracking API (configuration section <c>Tracking</c>).</summary>
internal sealed class TrackingOptions
{
    /// <summary>Largest body of a single call (<c>/v1/track</c> and the other one-event paths), after decompression.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxSingleBodyBytes { get; set; } = 32 * 1024;

    /// <summary>Largest body of a batch (<c>/v1/batch</c>, <c>/v1/import</c>, <c>/v1/b</c>), after decompression.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBodyBytes { get; set; } = 500 * 1024;

    /// <summary>Events in one batch; items beyond this are rejected one by one.</summary>
    [Range(1, 100_000)]
    public int MaxBatchEvents { get; set; } = 2500;

    /// <summary>Per-source rate limit in events per second; 0 turns it off (the default).</summary>
    [Range(0, 10_000_000)]
    public int SourceEventsPerSecond { get; set; }

    /// <summary>Events a source may send in a burst above its rate before it is answered 429.</summary>
    [Range(0, 100_000_000)]
    public int SourceBurst { get; set; } = 1000;

    /// <summary>How long an append may take before the gateway answers 503 instead.</summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What <c>Retry-After</c> says when an event cannot be stored.</summary>
    [Range(1, 3600)]
    public int UnavailableRetryAfterSeconds { get; set; } = 10;

    /// <summary>The largest JSON nesting accepted.</summary>
    [Range(8, 256)]
    public int MaxJsonDepth { get; set; } = 64;
}
