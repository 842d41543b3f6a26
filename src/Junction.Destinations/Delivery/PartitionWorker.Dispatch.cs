using System.Threading.Channels;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Delivery;

internal sealed partial class PartitionWorker
{
    /// <summary>
    /// Moves due lanes to the ready queue and forms batches from ready lanes: each lane gives its front run of records
    /// of one group (action and batch-key values). A batch goes to the send queue when it is full or has lingered long
    /// enough. Answers when the loop must next look (a retry or a linger deadline).
    /// </summary>
    private DateTimeOffset? Dispatch(DateTimeOffset now)
    {
        while (_timers.TryPeek(out var entry, out var due) && due <= now)
        {
            _timers.Dequeue();
            _ready.Enqueue(entry);
        }

        _waitingForResume = _state.MustWait(now, out var resumeAt);
        if (_waitingForResume)
        {
            ExpireWhilePaused(now);
            return Min(resumeAt, NextTimer());
        }

        while (_ready.TryDequeue(out var entry))
        {
            var lane = entry.Lane;
            if (entry.Version != lane.Version)
            {
                continue;
            }

            lane.Scheduled = false;
            var front = lane.InFlight > 0 ? null : lane.Front();
            if (front is null || front.DueAt > now)
            {
                Schedule(lane, now);
                continue;
            }

            if (IsExpired(front, now))
            {
                Expire(front, now);
                Schedule(lane, now);
                continue;
            }

            Take(lane, front, now);
        }

        DateTimeOffset? next = null;
        List<string>? sealedKeys = null;
        foreach (var (key, batch) in _forming)
        {
            var deadline = batch.OpenedAt + _options.Linger;
            if (batch.IsFull || now >= deadline)
            {
                (sealedKeys ??= []).Add(key);
                _toSend.Enqueue(batch);
            }
            else
            {
                next = Min(next, deadline);
            }
        }

        foreach (var key in sealedKeys ?? [])
        {
            _forming.Remove(key);
        }

        return Min(next, NextTimer());
    }

    private DateTimeOffset? NextTimer() => _timers.TryPeek(out _, out var due) ? due : null;

    /// <summary>Adds the lane's front run (records of one group that are due) to the group's forming batch.</summary>
    private void Take(UserLane lane, PendingRecord front, DateTimeOffset now)
    {
        foreach (var record in lane.FromFront())
        {
            if (record.Stage != PendingStage.Waiting || record.DueAt > now || !string.Equals(record.GroupKey, front.GroupKey, StringComparison.Ordinal))
            {
                break;
            }

            if (!_forming.TryGetValue(record.GroupKey, out var batch))
            {
                batch = new PendingBatch(record.GroupKey, record.Action, now);
                _forming.Add(record.GroupKey, batch);
            }

            if (!batch.Fits(record))
            {
                if (lane.InFlight > 0)
                {
                    // The rest of this lane waits for the batch that carries its front: two batches of one user in
                    // flight at once could arrive out of order.
                    break;
                }

                _toSend.Enqueue(batch);
                batch = new PendingBatch(record.GroupKey, record.Action, now);
                _forming[record.GroupKey] = batch;
            }

            batch.Add(record);
            record.Stage = PendingStage.InFlight;
            lane.InFlight++;
            if (batch.IsFull)
            {
                _toSend.Enqueue(batch);
                _forming.Remove(record.GroupKey);
                break;
            }
        }
    }

    /// <summary>
    /// Starts the sends of the batches in the send queue, each once a concurrency slot (and the rate limit) allows.
    /// While the destination is paused only a probe may go; the other batches go back to their lanes and the answer is
    /// when to look again.
    /// </summary>
    private async ValueTask<DateTimeOffset?> SendReadyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (_toSend.TryPeek(out var batch))
        {
            if (!_state.Slots.Wait(0, cancellationToken))
            {
                await _state.Slots.WaitAsync(cancellationToken);
            }

            var permit = _state.TryAcquire(now, out var retryAt);
            if (permit == SendPermit.Wait)
            {
                _state.Slots.Release();
                while (_toSend.TryDequeue(out var waiting))
                {
                    Unreserve(waiting, now);
                }

                foreach (var forming in _forming.Values)
                {
                    Unreserve(forming, now);
                }

                _forming.Clear();
                _waitingForResume = true;
                return retryAt;
            }

            _toSend.Dequeue();
            var writer = _completions.Writer;
            _ = Task.Run(() => SendAsync(batch, permit == SendPermit.Probe, writer, cancellationToken), CancellationToken.None);
        }

        return null;
    }

    /// <summary>Puts a batch's records back at the front of their lanes, unsent.</summary>
    private void Unreserve(PendingBatch batch, DateTimeOffset now)
    {
        foreach (var record in batch.Records)
        {
            record.Stage = PendingStage.Waiting;
            record.Lane.InFlight--;
        }

        foreach (var record in batch.Records)
        {
            Schedule(record.Lane, now);
        }
    }

    /// <summary>Sends one batch and hands the answer back to the loop. Runs concurrently with the loop; holds one slot.</summary>
    private async Task SendAsync(PendingBatch batch, bool probe, ChannelWriter<SendCompletion> completions, CancellationToken cancellationToken)
    {
        var released = false;
        try
        {
            if (_state.Pacer is { } pacer)
            {
                await pacer.WaitAsync(cancellationToken);
            }

            var instance = _state.Instance;
            var items = new DeliveryItem[batch.Records.Count];
            for (var i = 0; i < items.Length; i++)
            {
                var record = batch.Records[i].Record;
                items[i] = new DeliveryItem(record.MessageId, record.Payload, record.Event);
            }

            var context = new SendContext(_http, instance.Settings, instance.BaseUrl, _time);
            var started = _time.GetTimestamp();
            SendResult result;
            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    result = await instance.Destination.SendAsync(context, new ActionBatch(batch.Action, items), linked.Token);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    result = new SendResult(0, $"No answer within {_options.RequestTimeout.TotalSeconds:0.#} s (Delivery:RequestTimeout).");
                }
                catch (Exception ex)
                {
                    result = new SendResult(0, $"{ex.GetType().Name}: {ex.Message}");
                }
            }

            var latency = _time.GetElapsedTime(started);
            ReportHealth(result, batch.Records.Count, probe);
            _state.Slots.Release();
            released = true;
            completions.TryWrite(new SendCompletion(batch, result, latency, probe));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (probe)
            {
                _state.AbandonProbe();
            }
        }
        finally
        {
            if (!released)
            {
                _state.Slots.Release();
            }
        }
    }

    /// <summary>
    /// Tells the destination's shared state how a send went, before the send gives up its slot: a Retry-After speaks
    /// for the tool (a rate limit is per account), so from this moment no worker of the destination sends until it is over.
    /// </summary>
    private void ReportHealth(SendResult result, int count, bool probe)
    {
        var answered = false;
        var delivered = false;
        var retry = false;
        for (var i = 0; i < count; i++)
        {
            var outcome = Classify(result, i, count);
            answered |= outcome != SendOutcome.Retry;
            delivered |= outcome == SendOutcome.Delivered;
            retry |= outcome == SendOutcome.Retry;
        }

        var now = _time.GetUtcNow();
        if (retry && result.RetryAfter is { } wait && wait > TimeSpan.Zero)
        {
            _state.HoldUntil(now + (wait < _options.RetryWindow ? wait : _options.RetryWindow));
        }

        _state.Report(now, probe, answered, delivered, result.Status, result.Problem ?? result.Body);
    }

    /// <summary>The outcome of item <paramref name="index"/> of a batch of <paramref name="count"/>: its own status when the tool gave one per item.</summary>
    private static SendOutcome Classify(SendResult result, int index, int count)
    {
        if (result.Problem is not null)
        {
            return SendOutcome.Abort;
        }

        return SendClassifier.Classify(StatusOf(result, index, count));
    }

    private static int StatusOf(SendResult result, int index, int count) =>
        result.ItemStatuses is { } statuses && statuses.Count == count ? statuses[index] : result.Status;
}
