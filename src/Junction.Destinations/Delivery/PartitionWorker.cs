using System.Threading.Channels;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.Delivery;

/// <summary>
/// Delivers one partition of one destination's queue. A single loop owns all of the partition's state (no locks):
/// it reads records in queue order, groups ready records into batches, starts sends (which run concurrently up to
/// the destination's limit and hand their answers back through a channel), classifies the answers, schedules
/// retries and commits the queue position up to the first record that is not finished.
/// </summary>
internal sealed partial class PartitionWorker
{
    private const int ReadBatch = 1000;
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PileUpCheckInterval = TimeSpan.FromSeconds(1);

    private readonly DestinationState _state;
    private readonly IEventLog _queue;
    private readonly int _partition;
    private readonly DeliveryOptions _options;
    private readonly IDeliveryJournal _journal;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Everything below belongs to the loop.
    private readonly Dictionary<string, UserLane> _lanes = new(StringComparer.Ordinal);
    private readonly LinkedList<PendingRecord> _unfinished = new();
    private readonly Queue<(UserLane Lane, int Version)> _ready = new();
    private readonly PriorityQueue<(UserLane Lane, int Version), DateTimeOffset> _timers = new();
    private readonly Dictionary<string, PendingBatch> _forming = new(StringComparer.Ordinal);
    private readonly Queue<PendingBatch> _toSend = new();
    private readonly HashSet<UserLane> _blocked = [];
    private Channel<SendCompletion> _completions = null!;
    private LogPosition _lastRead;
    private LogPosition _committed;
    private DateTimeOffset _nextCommit;
    private DateTimeOffset _nextPileUpCheck;
    private bool _waitingForResume;

    public PartitionWorker(
        DestinationState state, IEventLog queue, int partition, DeliveryOptions options, IDeliveryJournal journal, HttpClient http, TimeProvider time, ILogger logger)
    {
        _state = state;
        _queue = queue;
        _partition = partition;
        _options = options;
        _journal = journal;
        _http = http;
        _time = time;
        _logger = logger;
    }

    private string DestinationId => _state.DestinationId;

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; after an unexpected failure it starts again from its last commit.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWorkerFailed(_logger, DestinationId, _partition, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        Reset();
        _committed = _lastRead = await _queue.GetCommittedAsync(DeliveryQueues.RouterConsumer, _partition, stoppingToken);
        _nextCommit = _time.GetUtcNow() + _options.CommitInterval;
        using var sends = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task<IReadOnlyList<LogEntry>>? read = null;
        Task? completionWait = null;
        var wake = new Wakeup(_time);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var progressed = false;
                while (_completions.Reader.TryRead(out var completion))
                {
                    HandleCompletion(completion, now);
                    progressed = true;
                }

                if (read is { IsCompleted: true })
                {
                    Accept(await read, now);
                    read = null;
                    progressed = true;
                }

                if (_blocked.Count > 0 && now >= _nextPileUpCheck)
                {
                    ApplyPileUpRule(now);
                    _nextPileUpCheck = now + PileUpCheckInterval;
                }

                var next = Dispatch(now);
                var retryAt = await SendReadyAsync(now, sends.Token);
                if (retryAt is { } at)
                {
                    next = Min(next, at);
                }

                await CommitIfDueAsync(now, force: false, stoppingToken);
                if (read is null && _unfinished.Count < _options.MaxInMemoryRecords)
                {
                    var room = Math.Min(ReadBatch, _options.MaxInMemoryRecords - _unfinished.Count);
                    read = _queue.ReadAsync(_partition, _lastRead, room, ReadWait, stoppingToken).AsTask();
                    progressed |= read.IsCompleted;
                }

                if (progressed || _completions.Reader.TryPeek(out _))
                {
                    continue;
                }

                if (_blocked.Count > 0)
                {
                    next = Min(next, _nextPileUpCheck);
                }

                if (CommitPoint() > _committed)
                {
                    next = Min(next, _nextCommit);
                }

                if (completionWait is null || completionWait.IsCompleted)
                {
                    completionWait = _completions.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }

                var waits = new List<Task>(4) { completionWait };
                if (read is not null)
                {
                    waits.Add(read);
                }

                if (retryAt is not null || _waitingForResume)
                {
                    waits.Add(_state.Changed);
                }

                if (next is { } due)
                {
                    waits.Add(await wake.AtAsync(due, stoppingToken));
                }

                await Task.WhenAny(waits);
            }
        }
        finally
        {
            await sends.CancelAsync();
            wake.Dispose();
            _state.AddInMemory(-_unfinished.Count);

            // Only finished records are committed: whatever was in flight or waiting is read and sent again.
            await CommitIfDueAsync(_time.GetUtcNow(), force: true, CancellationToken.None);
        }
    }

    private void Reset()
    {
        _lanes.Clear();
        _unfinished.Clear();
        _ready.Clear();
        _timers.Clear();
        _forming.Clear();
        _toSend.Clear();
        _blocked.Clear();

        // Every record in memory has at most one answer outstanding, so the channel never fills; it is bounded to say so.
        _completions = Channel.CreateBounded<SendCompletion>(new BoundedChannelOptions(_options.MaxInMemoryRecords + 1)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Takes newly read records into memory, each at the back of its user's lane.</summary>
    private void Accept(IReadOnlyList<LogEntry> entries, DateTimeOffset now)
    {
        var definition = _state.Instance.Definition;
        var added = 0;
        foreach (var entry in entries)
        {
            var previous = _lastRead;
            _lastRead = entry.Position;
            var record = DeliveryRecord.Decode(entry.Payload);
            if (record is null)
            {
                LogUnreadable(_logger, DestinationId, _partition, entry.Position.Value);
                continue;
            }

            if (!_lanes.TryGetValue(record.UserKey, out var lane))
            {
                lane = new UserLane(record.UserKey, detached: false);
                _lanes.Add(record.UserKey, lane);
            }

            var action = definition.FindAction(record.ActionId);
            var pending = new PendingRecord(record, action ?? MissingAction(record.ActionId), action is null ? "" : GroupKeyOf(record, action), entry.Position, previous, lane)
            {
                DueAt = now,
                ReadAt = now,
                SplitLimit = action?.BatchLimitOf(record.Payload) ?? int.MaxValue,
            };
            pending.Unfinished = _unfinished.AddLast(pending);
            added++;
            lane.Add(pending);
            if (action is null)
            {
                Finish(pending, DeliveryState.Aborted, now, $"The destination has no action '{record.ActionId}'.", attempt: 0, status: 0, excerpt: null, latency: null);
                Schedule(lane, now);
                continue;
            }

            Schedule(lane, now);
        }

        _state.AddInMemory(added);
    }

    private static ActionDefinition MissingAction(string actionId) => new(actionId, actionId, actionId, "", null, []);

    /// <summary>The batching group of a record: its action and the values of the action's batch keys.</summary>
    private static string GroupKeyOf(DeliveryRecord record, ActionDefinition action)
    {
        if (action.BatchKeys is not { Count: > 0 } keys)
        {
            return action.Id;
        }

        var key = new System.Text.StringBuilder(action.Id);
        foreach (var field in keys)
        {
            key.Append('\u001f').Append(record.Payload[field]?.ToJsonString());
        }

        return key.ToString();
    }

    /// <summary>Puts a lane where it belongs: ready, waiting for its front record's retry time, or nowhere (busy or empty).</summary>
    private void Schedule(UserLane lane, DateTimeOffset now)
    {
        if (lane.Scheduled || lane.InFlight > 0)
        {
            return;
        }

        var front = lane.Front();
        if (front is null)
        {
            if (!lane.Detached && _lanes.TryGetValue(lane.UserKey, out var current) && ReferenceEquals(current, lane))
            {
                _lanes.Remove(lane.UserKey);
            }

            _blocked.Remove(lane);
            return;
        }

        lane.Scheduled = true;
        if (front.DueAt <= now)
        {
            _ready.Enqueue((lane, lane.Version));
        }
        else
        {
            _timers.Enqueue((lane, lane.Version), front.DueAt);
        }
    }

    /// <summary>Forgets where a lane was scheduled (its queue entries become stale) so that it can be scheduled afresh.</summary>
    private static void Unschedule(UserLane lane)
    {
        lane.Version++;
        lane.Scheduled = false;
    }

    /// <summary>The position up to which every record is finished.</summary>
    private LogPosition CommitPoint() => _unfinished.First is { } first ? first.Value.Previous : _lastRead;

    private async Task CommitIfDueAsync(DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        var point = CommitPoint();
        if (point <= _committed || (!force && now < _nextCommit))
        {
            return;
        }

        await _queue.CommitAsync(DeliveryQueues.RouterConsumer, _partition, point, cancellationToken);
        _committed = point;
        _nextCommit = now + _options.CommitInterval;
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {DestinationId}, partition {Partition}, failed; it restarts from its last commit in 5 seconds.")]
    private static partial void LogWorkerFailed(ILogger logger, string destinationId, int partition, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to {DestinationId}, partition {Partition}: the queue entry at position {Position} is not a delivery record; it was skipped.")]
    private static partial void LogUnreadable(ILogger logger, string destinationId, int partition, long position);

    /// <summary>One timer the loop waits on, replaced only when an earlier wake-up is needed.</summary>
    private sealed class Wakeup(TimeProvider time) : IDisposable
    {
        private CancellationTokenSource? _cancel;
        private Task? _task;
        private DateTimeOffset _at;

        public async ValueTask<Task> AtAsync(DateTimeOffset at, CancellationToken stoppingToken)
        {
            if (_task is { IsCompleted: false } && _at <= at)
            {
                return _task;
            }

            if (_cancel is not null)
            {
                await _cancel.CancelAsync();
                _cancel.Dispose();
            }

            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _at = at;
            var delay = at - time.GetUtcNow();
            _task = delay > TimeSpan.Zero
                ? Task.Delay(delay, time, _cancel.Token).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                : Task.CompletedTask;
            return _task;
        }

        public void Dispose()
        {
            _cancel?.Cancel();
            _cancel?.Dispose();
        }
    }
}
