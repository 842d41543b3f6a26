namespace Junction.Warehouses.Syncing;

/// <summary>Settings of warehouse loading (configuration section <c>Warehouses</c>).</summary>
internal sealed class WarehouseOptions
{
    /// <summary>The most staged events one load reads and writes in one transaction; a sync runs as many loads as it needs.</summary>
    public int LoadSize { get; set; } = 50_000;

    /// <summary>
    /// How far back a load looks for rows with the same <c>id</c> (before the earliest event it loads), so that an event
    /// loaded twice — after a crash, or sent twice more than the processor's dedupe window apart — is kept once.
    /// </summary>
    public TimeSpan DedupeLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most columns Junction adds to one table; values for further columns go to <c>junction_discards</c>.</summary>
    public int ColumnLimit { get; set; } = 1000;

    /// <summary>How long the sync history is kept.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many warehouses sync at the same time (each warehouse syncs its sources one after the other).</summary>
    public int MaxConcurrentSyncs { get; set; } = 2;

    /// <summary>The first retry of a failed sync comes after this; each further one after twice as long as the last.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between retries of a failing sync (never later than its next scheduled sync).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);
}
