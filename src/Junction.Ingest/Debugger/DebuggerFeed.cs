using System.Collections.Concurrent;
using System.Threading.Channels;
using Junction.Events;

namespace Junction.Ingest.Debugger;

/// <summary>What became of an event the debugger shows.</summary>
internal enum DebuggerStatus
{
    /// <summary>Stored in the event log at the Tracking API.</summary>
    Accepted,

    /// <summary>Refused at the Tracking API; <see cref="DebuggerEntry.Reason"/> says why.</summary>
    Rejected,

    /// <summary>
    /// Accepted, then dropped by the processor's Protocols stage (a blocked event in the schema view, a tracking plan's
    /// controls, a transformation); <see cref="DebuggerEntry.Reason"/> holds the discard reason (<c>unplanned</c>,
    /// <c>schema_violation</c>, …) and the event is in <see cref="DebuggerEntry.Raw"/> as it was stored.
    /// </summary>
    Blocked,
}

/// <summary>
/// One event as the source debugger shows it: the body as received and, when accepted, its normalized form; for a
/// blocked event, the stored event and the reason it was blocked.
/// </summary>
internal sealed record DebuggerEntry(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string SourceId,
    DebuggerStatus Status,
    EventType? Type,
    string? Name,
    string? MessageId,
    string? UserId,
    string? AnonymousId,
    Rejection? Reason,
    ReadOnlyMemory<byte> Raw,
    ReadOnlyMemory<byte> Normalized);

/// <summary>
/// The live feed behind the source debugger: the newest <see cref="Capacity"/> events of each source in arrival
/// order, and live subscribers. Like Segment's debugger it is a view, not a log: above
/// <see cref="SampledPerSecond"/> events a second per source it keeps a sample, and a slow subscriber loses the
/// oldest entries rather than slowing ingestion.
/// </summary>
internal sealed class DebuggerFeed(TimeProvider time)
{
    public const int Capacity = 500;
    public const int SampledPerSecond = 200;
    private const int SubscriberBuffer = 1000;
    private readonly ConcurrentDictionary<string, SourceFeed> _sources = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Whether an event of this source should be captured now (sampling keeps the hot path cheap).</summary>
    public bool ShouldCapture(string sourceId, DebuggerStatus status) =>
        Feed(sourceId).TakeBudget(status, time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Adds an entry; <paramref name="raw"/> and <paramref name="normalized"/> are copied.</summary>
    public DebuggerEntry Record(
        string sourceId,
        DateTimeOffset receivedAt,
        DebuggerStatus status,
        EventType? type,
        string? name,
        string? messageId,
        string? userId,
        string? anonymousId,
        Rejection? reason,
        ReadOnlySpan<byte> raw,
        ReadOnlySpan<byte> normalized)
    {
        var entry = new DebuggerEntry(
            Interlocked.Increment(ref _sequence), receivedAt, sourceId, status, type, name, messageId, userId, anonymousId, reason,
            raw.ToArray(), normalized.ToArray());
        Feed(sourceId).Add(entry);
        return entry;
    }

    /// <summary>The newest entries of a source, newest first.</summary>
    public IReadOnlyList<DebuggerEntry> Recent(string sourceId, int count) =>
        _sources.TryGetValue(sourceId, out var feed) ? feed.Newest(count) : [];

    /// <summary>Entries of a source as they arrive, until the token is cancelled.</summary>
    public async IAsyncEnumerable<DebuggerEntry> SubscribeAsync(
        string sourceId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DebuggerEntry>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var feed = Feed(sourceId);
        feed.AddSubscriber(channel.Writer);
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            feed.RemoveSubscriber(channel.Writer);
        }
    }

    /// <summary>Forgets a deleted source.</summary>
    public void Remove(string sourceId) => _sources.TryRemove(sourceId, out _);

    private SourceFeed Feed(string sourceId) => _sources.GetOrAdd(sourceId, static _ => new SourceFeed());

    private sealed class SourceFeed
    {
        private readonly Lock _lock = new();
        private readonly DebuggerEntry?[] _ring = new DebuggerEntry?[Capacity];
        private int _next;
        private int _count;
        private ChannelWriter<DebuggerEntry>[] _subscribers = [];
        private long _budgetSecond;
        private int _acceptedTaken;
        private int _rejectedTaken;
        private int _blockedTaken;

        public bool TakeBudget(DebuggerStatus status, long second)
        {
            if (Volatile.Read(ref _budgetSecond) != second)
            {
                lock (_lock)
                {
                    if (_budgetSecond != second)
                    {
                        _acceptedTaken = 0;
                        _rejectedTaken = 0;
                        _blockedTaken = 0;
                        Volatile.Write(ref _budgetSecond, second);
                    }
                }
            }

            ref var taken = ref status == DebuggerStatus.Accepted ? ref _acceptedTaken
                : ref status == DebuggerStatus.Rejected ? ref _rejectedTaken : ref _blockedTaken;
            return Volatile.Read(ref taken) < SampledPerSecond && Interlocked.Increment(ref taken) <= SampledPerSecond;
        }

        public void Add(DebuggerEntry entry)
        {
            ChannelWriter<DebuggerEntry>[] subscribers;
            lock (_lock)
            {
                _ring[_next] = entry;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
                subscribers = _subscribers;
            }

            foreach (var subscriber in subscribers)
            {
                subscriber.TryWrite(entry);
            }
        }

        public IReadOnlyList<DebuggerEntry> Newest(int count)
        {
            lock (_lock)
            {
                var take = Math.Min(count, _count);
                var result = new List<DebuggerEntry>(take);
                for (var i = 1; i <= take; i++)
                {
                    result.Add(_ring[(_next - i + Capacity) % Capacity]!);
                }

                return result;
            }
        }

        public void AddSubscriber(ChannelWriter<DebuggerEntry> writer)
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers, writer];
            }
        }

        public void RemoveSubscriber(ChannelWriter<DebuggerEntry> writer)
        {
            lock (_lock)
            {
                _subscribers = _subscribers.Where(s => s != writer).ToArray();
            }
        }
    }
}
