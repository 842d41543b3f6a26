using Junction.Destinations.Framework;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.Delivery;

internal sealed partial class PartitionWorker
{
    private const int MaxExcerpt = 500;

    /// <summary>
    /// Applies a batch's answer to its records: 2xx delivered, a retryable answer retried after a back-off (or expired
    /// once its window has passed), any other answer aborted. A batch of several refused as a whole with 400, 413 or 422
    /// (or refused as invalid) is not aborted: its records are sent again in batches half the size, so that only the
    /// events the tool really refuses end up aborted.
    /// </summary>
    private void HandleCompletion(SendCompletion completion, DateTimeOffset now)
    {
        var batch = completion.Batch;
        var result = completion.Result;
        var records = batch.Records;
        var count = records.Count;
        var perItem = result.ItemStatuses is { } statuses && statuses.Count == count;
        if (!perItem && count > 1 && IsSplittable(result))
        {
            var limit = (count + 1) / 2;
            foreach (var record in records)
            {
                record.Attempts++;
                record.SplitLimit = Math.Min(record.SplitLimit, limit);
                record.Stage = PendingStage.Waiting;
                record.DueAt = now;
                record.Lane.InFlight--;
                Report(record, now, $"The tool refused a batch of {count} with {result.Status}; the events are sent again in smaller batches to find the ones it refuses.", result.Status, result, completion.Latency);
            }

            foreach (var record in records)
            {
                Schedule(record.Lane, now);
            }

            return;
        }

        TimeSpan? delay = null;
        for (var i = 0; i < count; i++)
        {
            var record = records[i];
            record.Lane.InFlight--;
            record.Attempts++;
            var status = StatusOf(result, i, count);
            switch (Classify(result, i, count))
            {
                case SendOutcome.Delivered:
                    Finish(record, DeliveryState.Delivered, now, null, record.Attempts, status, null, completion.Latency);
                    break;
                case SendOutcome.Abort:
                    var reason = result.Problem ?? $"The tool refused the event with {status}.";
                    Finish(record, DeliveryState.Aborted, now, reason, record.Attempts, status, Excerpt(result), completion.Latency);
                    break;
                default:
                    if (IsExpired(record, now))
                    {
                        Finish(record, DeliveryState.Expired, now, ExpiredReason(record, status), record.Attempts, status, Excerpt(result), completion.Latency);
                        break;
                    }

                    delay ??= RetryDelay(record.Attempts, result.RetryAfter);
                    record.FailingSince ??= now;
                    record.Stage = PendingStage.Waiting;
                    _blocked.Add(record.Lane);
                    record.DueAt = now + delay.Value;
                    var why = result.RetryAfter is { } after
                        ? $"The tool answered {status} and asked to wait {after.TotalSeconds:0.#} s; retrying at {record.DueAt:u}."
                        : $"The tool answered {StatusText(status)}; retrying at {record.DueAt:u}.";
                    Report(record, now, why, status, result, completion.Latency);
                    break;
            }
        }

        foreach (var record in records)
        {
            Schedule(record.Lane, now);
        }
    }

    /// <summary>Whether a batch refused as a whole may hold only some events the tool cannot take.</summary>
    private static bool IsSplittable(SendResult result) =>
        result.Problem is not null || result.Status is 400 or 413 or 422;

    private bool IsExpired(PendingRecord record, DateTimeOffset now) =>
        record.Attempts >= _options.MinAttempts && now >= record.Record.ReceivedAt + _options.RetryWindow;

    /// <summary>The wait before the next attempt: the tool's Retry-After when it gave one, else a random wait up to a cap that doubles per attempt.</summary>
    private TimeSpan RetryDelay(int attempts, TimeSpan? retryAfter)
    {
        if (retryAfter is { } after && after > TimeSpan.Zero)
        {
            return after < _options.RetryWindow ? after : _options.RetryWindow;
        }

        var exponent = Math.Min(attempts - 1, 30);
        var cap = Math.Min(_options.RetryMaxDelay.Ticks, _options.RetryBaseDelay.Ticks * (1L << exponent));
        if (cap <= 0)
        {
            cap = _options.RetryMaxDelay.Ticks;
        }

        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * cap));
    }

    private void Expire(PendingRecord record, DateTimeOffset now) =>
        Finish(record, DeliveryState.Expired, now, ExpiredReason(record, 0), record.Attempts, 0, null, null);

    private string ExpiredReason(PendingRecord record, int status) =>
        $"Still failing{(status == 0 ? "" : $" ({status})")} after {record.Attempts} attempts when its retry window of {_options.RetryWindow} (Delivery:RetryWindow) ended.";

    /// <summary>While the destination is paused, records whose window has closed expire without another attempt; the others wait.</summary>
    private void ExpireWhilePaused(DateTimeOffset now)
    {
        var count = _ready.Count;
        for (var i = 0; i < count && _ready.TryDequeue(out var entry); i++)
        {
            var lane = entry.Lane;
            if (entry.Version != lane.Version)
            {
                continue;
            }

            while (lane.InFlight == 0 && lane.Front() is { } front && IsExpired(front, now))
            {
                Expire(front, now);
            }

            lane.Scheduled = false;
            if (lane.Front() is null || lane.InFlight > 0)
            {
                Schedule(lane, now);
            }
            else
            {
                lane.Scheduled = true;
                _ready.Enqueue(entry);
            }
        }
    }

    /// <summary>
    /// The pile-up rule. A user's records wait behind its record that waits for a retry, except while the destination
    /// is taking other events (it delivered something in the last minute): then a lane whose records have been held
    /// for longer than <see cref="DeliveryOptions.MaxHoldTime"/> (counted from when they began waiting, or from the end of
    /// the latest outage if that is later) lets its retrying record retry on its own, and so do the longest-held lanes
    /// while the partition holds more than <see cref="DeliveryOptions.MaxHeldRecords"/> records. During an outage of the
    /// whole destination order is kept: letting records go ahead would not deliver them any sooner.
    /// </summary>
    private void ApplyPileUpRule(DateTimeOffset now)
    {
        var held = 0;
        List<(UserLane Lane, DateTimeOffset Since)>? holding = null;
        List<UserLane>? done = null;
        foreach (var lane in _blocked)
        {
            if (lane.Front() is not { FailingSince: { } failingSince })
            {
                (done ??= []).Add(lane);
                continue;
            }

            if (lane.InFlight > 0 || lane.Second() is not { } second)
            {
                continue;
            }

            held += lane.Count - 1;
            (holding ??= []).Add((lane, second.ReadAt > failingSince ? second.ReadAt : failingSince));
        }

        foreach (var lane in done ?? [])
        {
            _blocked.Remove(lane);
        }

        if (holding is null || !_state.IsDelivering(now, out var outageEndedAt))
        {
            return;
        }

        holding.Sort((a, b) => a.Since.CompareTo(b.Since));
        var released = 0;
        foreach (var (lane, heldSince) in holding)
        {
            var since = heldSince > outageEndedAt ? heldSince : outageEndedAt;
            if (now - since < _options.MaxHoldTime && held <= _options.MaxHeldRecords)
            {
                continue;
            }

            held -= lane.Count - 1;
            released += lane.Count - 1;
            Detach(lane, now);
        }

        if (released > 0)
        {
            LogOrderYielded(_logger, DestinationId, _partition, released, _options.MaxHeldRecords, _options.MaxHoldTime);
        }
    }

    /// <summary>Moves a lane's retrying front record into a lane of its own, so that the records behind it can go.</summary>
    private void Detach(UserLane lane, DateTimeOffset now)
    {
        var front = lane.RemoveFront();
        var alone = new UserLane(lane.UserKey, detached: true);
        alone.Add(front);
        front.Lane = alone;
        _blocked.Remove(lane);
        Unschedule(lane);
        Schedule(lane, now);
        Schedule(alone, now);
    }

    private void Finish(PendingRecord record, DeliveryState state, DateTimeOffset now, string? reason, int attempt, int status, string? excerpt, TimeSpan? latency)
    {
        record.Stage = PendingStage.Finished;
        if (record.Unfinished is { } node)
        {
            _unfinished.Remove(node);
            record.Unfinished = null;
            _state.AddInMemory(-1);
        }

        record.Lane.OnFinished();
        // The record goes with every final step: dead letters keep it for a re-send, and a delivery's end-to-end
        // latency is measured from its ReceivedAt.
        var r = record.Record;
        _journal.Report(new DeliveryStep(
            r.DestinationId, r.SourceId, r.MessageId, r.SubscriptionId, state, now, reason, attempt, status, excerpt, latency, r));
    }

    /// <summary>Reports a failed attempt that will be retried.</summary>
    private void Report(PendingRecord record, DateTimeOffset now, string reason, int status, SendResult result, TimeSpan latency)
    {
        var r = record.Record;
        _journal.Report(new DeliveryStep(
            r.DestinationId, r.SourceId, r.MessageId, r.SubscriptionId, DeliveryState.Retrying, now, reason, record.Attempts, status, Excerpt(result), latency));
    }

    private static string? Excerpt(SendResult result)
    {
        var text = result.Problem ?? result.Body;
        return text.Length == 0 ? null : text.Length > MaxExcerpt ? text[..MaxExcerpt] : text;
    }

    private static string StatusText(int status) => status == 0 ? "nothing (no answer)" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {DestinationId}, partition {Partition}: {Count} events went ahead of an earlier event of their user that is still being retried (more than {MaxHeld} held, or held longer than {MaxHoldTime}).")]
    private static partial void LogOrderYielded(ILogger logger, string destinationId, int partition, int count, int maxHeld, TimeSpan maxHoldTime);
}
