using Junction.Destinations.Framework;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>What a bulk re-send did.</summary>
/// <remarks>
/// <para><c>Resent</c>: Put back in the destination's queue and marked re-sent.</para>
/// <para><c>Failed</c>: The queue did not take them (full disk, queue unavailable); still pending, try again later.</para>
/// <para><c>Skipped</c>: Unknown ids, already re-sent, or kept without a record to send.</para>
/// </remarks>
internal sealed record ResendResult(int Resent, int Failed, int Skipped);

/// <summary>
/// The dead-letter store: aborted and expired records of a destination, listed with filters, and re-sent in bulk. A
/// re-send puts the same record (same messageId, so tools that dedupe see a repeat) back in the destination's queue,
/// marks the dead letter re-sent and reports a new Queued step, so the event's trace shows the second life.
/// </summary>
internal sealed class DeadLetterQuery(JournalStore store, IDeliveryQueues queues, IDeliveryJournal journal, TimeProvider time) : IDisposable
{
    /// <summary>How many records go to the queue in one append.</summary>
    public const int ResendBatch = 500;

    public const string ResentReason = "Re-sent from the dead-letter store";

    // One re-send at a time, so that two requests for the same ids cannot both put a record back.
    private readonly SemaphoreSlim _resend = new(1, 1);

    public Task<(List<DeadLetter> Items, int Total)> ListAsync(DeadLetterFilter filter, int offset, int count, CancellationToken cancellationToken) =>
        store.ListDeadLettersAsync(filter, offset, count, cancellationToken);

    /// <summary>Re-sends the pending dead letters of a destination with the given ids.</summary>
    public async Task<ResendResult> ResendAsync(string destinationId, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await _resend.WaitAsync(cancellationToken);
        try
        {
            var total = new ResendResult(0, 0, 0);
            foreach (var chunk in ids.Distinct().Chunk(ResendBatch))
            {
                var found = await store.FindDeadLettersAsync(destinationId, chunk, cancellationToken);
                var result = await ResendBatchAsync(destinationId, found, cancellationToken);
                total = new ResendResult(total.Resent + result.Resent, total.Failed + result.Failed, total.Skipped + result.Skipped + (chunk.Length - found.Count));
            }

            return total;
        }
        finally
        {
            _resend.Release();
        }
    }

    /// <summary>Re-sends every pending dead letter matching a filter, oldest first.</summary>
    public async Task<ResendResult> ResendAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        filter = filter with { Which = DeadLetterStatus.Pending };
        await _resend.WaitAsync(cancellationToken);
        try
        {
            var total = new ResendResult(0, 0, 0);
            var after = 0L;
            while (true)
            {
                var page = await store.NextDeadLettersAsync(filter, after, ResendBatch, cancellationToken);
                if (page.Count == 0)
                {
                    return total;
                }

                after = page[^1].Id;
                var result = await ResendBatchAsync(filter.DestinationId, page, cancellationToken);
                total = new ResendResult(total.Resent + result.Resent, total.Failed + result.Failed, total.Skipped + result.Skipped);
            }
        }
        finally
        {
            _resend.Release();
        }
    }

    public void Dispose() => _resend.Dispose();

    private async Task<ResendResult> ResendBatchAsync(string destinationId, List<DeadLetter> letters, CancellationToken cancellationToken)
    {
        var skipped = 0;
        var sendable = new List<(DeadLetter Letter, DeliveryRecord Record)>();
        foreach (var letter in letters)
        {
            if (letter.ResentAt is null && letter.Record is { } bytes && DeliveryRecord.Decode(bytes) is { } record)
            {
                sendable.Add((letter, record));
            }
            else
            {
                skipped++;
            }
        }

        if (sendable.Count == 0)
        {
            return new ResendResult(0, 0, skipped);
        }

        var results = await queues.EnqueueAsync(destinationId, sendable.Select(s => s.Record).ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var resent = new List<long>();
        var failed = 0;
        for (var i = 0; i < sendable.Count; i++)
        {
            if (i < results.Length && results[i].IsDurable)
            {
                var (letter, record) = sendable[i];
                resent.Add(letter.Id);
                journal.Report(new DeliveryStep(
                    destinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Queued, now,
                    Reason: ResentReason, Record: record));
            }
            else
            {
                failed++;
            }
        }

        await store.MarkResentAsync(resent, now, cancellationToken);
        return new ResendResult(resent.Count, failed, skipped);
    }
}
