namespace Junction.EventLog;

/// <summary>
/// The durable, partitioned log that every accepted event passes through. It is the seam between the gateway
/// (which appends) and the processor (which reads partitions in order and commits its position).
/// </summary>
/// <remarks>
/// The contract is deliberately small so that both the embedded segment-file log and a NATS JetStream log can
/// implement it honestly:
/// <list type="bullet">
/// <item>Append returns one result per record, only once the records are durable as the implementation defines
/// it (the embedded log: written and fsynced in a group commit). There is no atomic multi-record append.</item>
/// <item>Positions are opaque, ordered within one partition, and not dense: never do arithmetic on them.</item>
/// <item>A consumer commits "everything up to and including this position is done" for each partition; reading
/// resumes after the committed position. Commits only move forward.</item>
/// </list>
/// </remarks>
internal interface IEventLog : IAsyncDisposable
{
    /// <summary>The fixed number of partitions. Records are assigned by <see cref="LogPartitioner"/>.</summary>
    int PartitionCount { get; }

    /// <summary>Appends records durably and returns one result per record, in the same order.</summary>
    /// <param name="records">The records to append.</param>
    /// <param name="cancellationToken">The deadline: implementations must give up (answer Unavailable) rather than hang.</param>
    ValueTask<AppendResult[]> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> entries of one partition that come after <paramref name="after"/>.
    /// Waits up to <paramref name="maxWait"/> for the first entry and answers an empty list when none arrived.
    /// </summary>
    ValueTask<IReadOnlyList<LogEntry>> ReadAsync(
        int partition, LogPosition after, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="consumer"/> has finished everything up to and including <paramref name="position"/>.</summary>
    ValueTask CommitAsync(string consumer, int partition, LogPosition position, CancellationToken cancellationToken);

    /// <summary>The last committed position of a consumer on a partition, or <see cref="LogPosition.Start"/>.</summary>
    ValueTask<LogPosition> GetCommittedAsync(string consumer, int partition, CancellationToken cancellationToken);

    /// <summary>The position of the newest durable entry of a partition (what a caught-up consumer has committed).</summary>
    LogPosition GetHead(int partition);

    /// <summary>Whether the log can accept appends now, and why not.</summary>
    LogHealth GetHealth();
}

/// <summary>One record to append.</summary>
/// <param name="PartitionKey">Decides the partition: the user (userId, else anonymousId), so that one user's events keep their order.</param>
/// <param name="IdempotencyKey"><c>{sourceId}:{messageId}</c>; a log may drop a repeated key within a short window and report it as a duplicate.</param>
/// <param name="Payload">The normalized event, UTF-8 JSON.</param>
/// <param name="Tag">
/// A short label consumers can route and count by without reading the payload (a header in JetStream); for events,
/// <see cref="Junction.Events.EventTag"/>.
/// </param>
internal readonly record struct LogRecord(string PartitionKey, string IdempotencyKey, ReadOnlyMemory<byte> Payload, string Tag = "");

/// <summary>One stored record, as read back.</summary>
internal sealed record LogEntry(
    int Partition,
    LogPosition Position,
    DateTimeOffset AppendedAt,
    string PartitionKey,
    string IdempotencyKey,
    string Tag,
    ReadOnlyMemory<byte> Payload);

/// <summary>An opaque place in one partition. Ordered, but not dense: compare, never add or subtract.</summary>
internal readonly record struct LogPosition(long Value) : IComparable<LogPosition>
{
    /// <summary>Before the first entry of a partition.</summary>
    public static LogPosition Start => default;

    public int CompareTo(LogPosition other) => Value.CompareTo(other.Value);

    public static bool operator <(LogPosition left, LogPosition right) => left.Value < right.Value;

    public static bool operator >(LogPosition left, LogPosition right) => left.Value > right.Value;

    public static bool operator <=(LogPosition left, LogPosition right) => left.Value <= right.Value;

    public static bool operator >=(LogPosition left, LogPosition right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal enum AppendStatus
{
    /// <summary>Durably stored.</summary>
    Stored,

    /// <summary>The idempotency key was already stored recently; the original is durable.</summary>
    Duplicate,

    /// <summary>The log is out of space (or under its free-space floor). Retry later.</summary>
    Full,

    /// <summary>The record is larger than the log accepts.</summary>
    TooLarge,

    /// <summary>The log could not store the record (I/O error, deadline passed). Retry later.</summary>
    Unavailable,
}

internal readonly record struct AppendResult(AppendStatus Status, int Partition, LogPosition Position)
{
    /// <summary>Stored or a duplicate of something stored: either way the event is durable.</summary>
    public bool IsDurable => Status is AppendStatus.Stored or AppendStatus.Duplicate;
}

/// <summary>What the log reports to <c>/health</c>.</summary>
internal sealed record LogHealth(bool Available, string Implementation, long? FreeBytes, long? MinFreeBytes, string? Problem);
