using Junction.Destinations.Framework;
using Junction.EventLog;

namespace Junction.Destinations.Delivery;

/// <summary>Where a record read from the queue stands.</summary>
internal enum PendingStage
{
    /// <summary>Waiting to be sent: first sent as soon as its user's earlier records are done, or retried at <see cref="PendingRecord.DueAt"/>.</summary>
    Waiting,

    /// <summary>In a batch that is being formed or sent.</summary>
    InFlight,

    /// <summary>Delivered, aborted or expired.</summary>
    Finished,
}

/// <summary>One record a partition worker has read and not yet finished.</summary>
internal sealed class PendingRecord(DeliveryRecord record, ActionDefinition action, string groupKey, LogPosition position, LogPosition previous, UserLane lane)
{
    public DeliveryRecord Record { get; } = record;

    public ActionDefinition Action { get; } = action;

    /// <summary>Records may share a batch only when this is equal: the action and the values of its batch keys.</summary>
    public string GroupKey { get; } = groupKey;

    public LogPosition Position { get; } = position;

    /// <summary>The position of the entry read before this one: what can be committed while this one is unfinished.</summary>
    public LogPosition Previous { get; } = previous;

    public UserLane Lane { get; set; } = lane;

    public PendingStage Stage { get; set; }

    /// <summary>When it was read from the queue.</summary>
    public DateTimeOffset ReadAt { get; init; }

    /// <summary>When its first attempt failed with a retryable answer, or null.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When it may next be sent.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>
    /// The largest batch it may travel in: at first what its mapping allows (<see cref="ActionDefinition.BatchLimitOf"/>),
    /// then halved each time a batch holding it is refused as a whole.
    /// </summary>
    public int SplitLimit { get; set; } = int.MaxValue;

    /// <summary>Its place in the worker's list of unfinished records (in queue order).</summary>
    public LinkedListNode<PendingRecord>? Unfinished { get; set; }
}

/// <summary>
/// One user's unfinished records in one partition, in queue order. Only the front may be sent, and only while none
/// of the lane's records is in flight: that is what keeps a user's events in order at a destination.
/// </summary>
internal sealed class UserLane(string userKey, bool detached)
{
    private readonly List<PendingRecord> _records = [];
    private int _start;

    public string UserKey { get; } = userKey;

    /// <summary>A lane made for one record that was let go ahead of its user's order (the pile-up rule).</summary>
    public bool Detached { get; } = detached;

    /// <summary>Records of this lane in a batch being formed or sent.</summary>
    public int InFlight { get; set; }

    /// <summary>Whether the lane has a current entry in the worker's ready queue or timer queue.</summary>
    public bool Scheduled { get; set; }

    /// <summary>Tells current queue entries of the lane from stale ones: an entry is current while its version is this.</summary>
    public int Version { get; set; }

    /// <summary>Unfinished records in the lane.</summary>
    public int Count { get; private set; }

    public void Add(PendingRecord record)
    {
        _records.Add(record);
        Count++;
    }

    public void OnFinished() => Count--;

    /// <summary>The first unfinished record, or null when the lane is empty.</summary>
    public PendingRecord? Front()
    {
        while (_start < _records.Count && _records[_start].Stage == PendingStage.Finished)
        {
            _records[_start++] = null!;
        }

        if (_start == _records.Count)
        {
            _records.Clear();
            _start = 0;
            return null;
        }

        if (_start > 64 && _start > _records.Count / 2)
        {
            _records.RemoveRange(0, _start);
            _start = 0;
        }

        return _records[_start];
    }

    /// <summary>The unfinished records from the front, in order.</summary>
    public IEnumerable<PendingRecord> FromFront()
    {
        for (var i = _start; i < _records.Count; i++)
        {
            if (_records[i].Stage != PendingStage.Finished)
            {
                yield return _records[i];
            }
        }
    }

    /// <summary>The unfinished record after the front one, or null.</summary>
    public PendingRecord? Second() => FromFront().Skip(1).FirstOrDefault();

    /// <summary>Takes the front record out of the lane (it must be unfinished).</summary>
    public PendingRecord RemoveFront()
    {
        var front = Front() ?? throw new InvalidOperationException("The lane is empty.");
        _records[_start++] = null!;
        Count--;
        return front;
    }
}

/// <summary>Records of one group (action and batch-key values) sent together.</summary>
internal sealed class PendingBatch(string groupKey, ActionDefinition action, DateTimeOffset openedAt)
{
    public string GroupKey { get; } = groupKey;

    public ActionDefinition Action { get; } = action;

    /// <summary>When its first record was added: it is sent at the latest <see cref="DeliveryOptions.Linger"/> after.</summary>
    public DateTimeOffset OpenedAt { get; } = openedAt;

    public List<PendingRecord> Records { get; } = [];

    /// <summary>How many records it may hold: the action's batch size, lowered by its records' split limits.</summary>
    public int Capacity { get; private set; } = Math.Max(1, action.MaxBatchSize);

    public bool IsFull => Records.Count >= Capacity;

    /// <summary>Whether <paramref name="record"/> fits.</summary>
    public bool Fits(PendingRecord record) => Records.Count < Math.Min(Capacity, record.SplitLimit);

    public void Add(PendingRecord record)
    {
        Records.Add(record);
        Capacity = Math.Min(Capacity, record.SplitLimit);
    }
}

/// <summary>A batch's answer, handed from the send back to its worker.</summary>
internal sealed record SendCompletion(PendingBatch Batch, SendResult Result, TimeSpan Latency, bool Probe);
