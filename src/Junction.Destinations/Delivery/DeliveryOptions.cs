namespace Junction.Destinations.Delivery;

/// <summary>Settings of the router (configuration section <c>Delivery</c>).</summary>
internal sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The data directory; each destination's queue lives in <c>{DataDirectory}/destinations/{id}/log</c>. Set by the host.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Partitions of a new destination queue (one worker each). An existing queue keeps the count it was created with.</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>The most requests in flight at once to one destination, across its partitions.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The most requests per second to one destination; 0 for no limit.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Overrides of <see cref="MaxConcurrency"/> and <see cref="RequestsPerSecond"/> by catalog slug (<c>Delivery:Destinations:actions-amplitude:MaxConcurrency</c>).</summary>
    public Dictionary<string, DestinationLimits> Destinations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a batch that is not full waits for more events before it is sent.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a failing event is retried, counted from when Junction received it.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The fewest attempts an event gets before it can expire, however old it is.</summary>
    public int MinAttempts { get; set; } = 3;

    /// <summary>The back-off before the first retry; it doubles with every attempt (full jitter: a random wait up to it).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off between two attempts (a Retry-After may ask for longer and is honoured).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one send may take before it is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Pile-up rule, by count: when more than this many events of one destination partition wait behind a retrying
    /// event of the same user, order yields and the longest-held users' events go ahead.
    /// </summary>
    public int MaxHeldRecords { get; set; } = 1000;

    /// <summary>Pile-up rule, by time: an event held behind a retrying event of its user for longer than this goes ahead.</summary>
    public TimeSpan MaxHoldTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The most events one partition worker keeps in memory while they are sent or wait for a retry. Beyond it the
    /// worker stops reading its queue: the durable queue is the buffer.
    /// </summary>
    public int MaxInMemoryRecords { get; set; } = 10_000;

    /// <summary>A destination whose sends have failed without a break for this long is paused and only probed.</summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The wait before the first probe of a paused destination; it doubles after every failed probe.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two probes of a paused destination.</summary>
    public TimeSpan MaxProbeInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each worker commits its queue position (it also commits whenever it goes idle).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The limits that apply to a destination of catalog slug <paramref name="slug"/>.</summary>
    public (int MaxConcurrency, double RequestsPerSecond) LimitsFor(string slug) =>
        Destinations.TryGetValue(slug, out var limits)
            ? (limits.MaxConcurrency ?? MaxConcurrency, limits.RequestsPerSecond ?? RequestsPerSecond)
            : (MaxConcurrency, RequestsPerSecond);

    /// <summary>The first problem with the settings, naming its configuration key, or null when they are valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            return "Delivery:DataDirectory must be set (the host sets it from the data directory).";
        }

        return Partitions is < 1 or > 256 ? "Delivery:Partitions must be from 1 to 256."
            : MaxConcurrency < 1 ? "Delivery:MaxConcurrency must be at least 1."
            : RequestsPerSecond < 0 ? "Delivery:RequestsPerSecond must not be negative (0 means no limit)."
            : Linger < TimeSpan.Zero || Linger > TimeSpan.FromSeconds(10) ? "Delivery:Linger must be from 0 to 10 seconds."
            : RetryWindow < TimeSpan.Zero ? "Delivery:RetryWindow must not be negative."
            : MinAttempts < 1 ? "Delivery:MinAttempts must be at least 1."
            : RetryBaseDelay <= TimeSpan.Zero ? "Delivery:RetryBaseDelay must be positive."
            : RetryMaxDelay < RetryBaseDelay ? "Delivery:RetryMaxDelay must be at least Delivery:RetryBaseDelay."
            : RequestTimeout <= TimeSpan.Zero ? "Delivery:RequestTimeout must be positive."
            : MaxHeldRecords < 1 ? "Delivery:MaxHeldRecords must be at least 1."
            : MaxHoldTime <= TimeSpan.Zero ? "Delivery:MaxHoldTime must be positive."
            : MaxInMemoryRecords < 100 ? "Delivery:MaxInMemoryRecords must be at least 100."
            : PauseAfter <= TimeSpan.Zero ? "Delivery:PauseAfter must be positive."
            : ProbeInterval <= TimeSpan.Zero ? "Delivery:ProbeInterval must be positive."
            : MaxProbeInterval < ProbeInterval ? "Delivery:MaxProbeInterval must be at least Delivery:ProbeInterval."
            : CommitInterval <= TimeSpan.Zero ? "Delivery:CommitInterval must be positive."
            : ValidateDestinations();
    }

    private string? ValidateDestinations()
    {
        foreach (var (slug, limits) in Destinations)
        {
            if (limits.MaxConcurrency is < 1)
            {
                return $"Delivery:Destinations:{slug}:MaxConcurrency must be at least 1.";
            }

            if (limits.RequestsPerSecond is < 0)
            {
                return $"Delivery:Destinations:{slug}:RequestsPerSecond must not be negative (0 means no limit).";
            }
        }

        return null;
    }
}

/// <summary>Limits of the destinations of one catalog slug; unset values fall back to the <see cref="DeliveryOptions"/> defaults.</summary>
internal sealed class DestinationLimits
{
    public int? MaxConcurrency { get; set; }

    public double? RequestsPerSecond { get; set; }
}
