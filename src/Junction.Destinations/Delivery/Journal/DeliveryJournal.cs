using System.Threading.Channels;
using Junction.Destinations.Framework;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// The delivery journal: <see cref="Report"/> is called on the hot path by the fan-out and the router and never waits
/// on I/O. Each step takes one of three paths:
/// <list type="bullet">
/// <item>Its metric counts go into <see cref="DeliveryMetricsCounter"/> in memory, always, before anything else.</item>
/// <item>Aborted and expired steps (dead letters) go into a separate unbounded queue. They are rare next to the rest
/// (at most one per event, only for events a tool refused or never took), so the queue stays small, and none is
/// ever dropped.</item>
/// <item>Every other step goes into a bounded queue of <see cref="DeliveryJournalOptions.QueueCapacity"/>. When the
/// writer falls that far behind, further steps are counted in <see cref="DroppedSteps"/> and dropped: traces lose
/// detail, metrics and dead letters lose nothing.</item>
/// </list>
/// The background writer takes dead letters first, then up to a batch of steps, and writes them in one transaction.
/// </summary>
internal sealed partial class DeliveryJournal : BackgroundService, IDeliveryJournal
{
    private readonly JournalStore _store;
    private readonly DeliveryMetricsCounter _counter;
    private readonly DeliveryJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryJournal> _logger;
    private readonly Channel<JournalEntry> _steps;
    private readonly Channel<JournalEntry> _deadLetters;
    private TaskCompletionSource _progress = NewProgress();
    private long _sequence;
    private long _accepted;
    private long _written;
    private long _dropped;
    private long _droppedLogged;

    public DeliveryJournal(
        JournalStore store,
        DeliveryMetricsCounter counter,
        IOptions<DeliveryJournalOptions> options,
        TimeProvider time,
        ILogger<DeliveryJournal> logger)
    {
        _store = store;
        _counter = counter;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _steps = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _deadLetters = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Trace steps dropped because the writer's queue was full, since start.</summary>
    public long DroppedSteps => Interlocked.Read(ref _dropped);

    /// <summary>Steps waiting for the writer.</summary>
    public long Pending => Interlocked.Read(ref _accepted) - Interlocked.Read(ref _written);

    public void Report(DeliveryStep step)
    {
        _counter.Count(step);
        var entry = new JournalEntry(step, Interlocked.Increment(ref _sequence));
        var written = step.State is DeliveryState.Aborted or DeliveryState.Expired
            ? _deadLetters.Writer.TryWrite(entry)
            : _steps.Writer.TryWrite(entry);
        if (written)
        {
            Interlocked.Increment(ref _accepted);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Completes once every step reported before the call has been written (or dropped after a failed write).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _accepted);
        while (true)
        {
            var progress = Volatile.Read(ref _progress);
            if (Interlocked.Read(ref _written) >= target)
            {
                return;
            }

            await progress.Task.WaitAsync(cancellationToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Producers stop first (hosted services stop in reverse order of registration); completing the queues lets
        // the writer write what they reported and end.
        _steps.Writer.TryComplete();
        _deadLetters.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            // The writer never ran (stopped before it started) or ended early: write what is left here.
            await WriteUntilCompletedAsync();
        }
    }

    /// <summary>The writer ends only when both queues are completed and empty, so stopping never loses a reported step.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WriteUntilCompletedAsync();

    private async Task WriteUntilCompletedAsync()
    {
        await Task.Yield();
        using var writer = _store.OpenWriter(_options.MaxTracePayloadChars, _options.MaxResponseChars);
        var batch = new List<JournalEntry>(_options.BatchSize);
        var retry = new List<JournalEntry>();
        Task<bool>? stepsWait = null;
        Task<bool>? deadLettersWait = null;
        while (true)
        {
            batch.Clear();
            batch.AddRange(retry);
            retry.Clear();
            while (batch.Count < _options.BatchSize && _deadLetters.Reader.TryRead(out var deadLetter))
            {
                batch.Add(deadLetter);
            }

            while (batch.Count < _options.BatchSize && _steps.Reader.TryRead(out var step))
            {
                batch.Add(step);
            }

            if (batch.Count == 0)
            {
                if (_steps.Reader.Completion.IsCompleted && _deadLetters.Reader.Completion.IsCompleted)
                {
                    return;
                }

                // One pending wait per queue, kept across turns, so that waiting never piles up waiters.
                stepsWait ??= _steps.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                deadLettersWait ??= _deadLetters.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                await Task.WhenAny(stepsWait, deadLettersWait);
                stepsWait = stepsWait.IsCompleted ? null : stepsWait;
                deadLettersWait = deadLettersWait.IsCompleted ? null : deadLettersWait;
                continue;
            }

            var done = batch.Count;
            try
            {
                writer.Write(batch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Dead letters are kept for the next try; trace steps of the failed batch are given up and counted.
                retry.AddRange(batch.Where(e => e.Step.State is DeliveryState.Aborted or DeliveryState.Expired));
                done -= retry.Count;
                Interlocked.Add(ref _dropped, done);
                LogWriteFailed(_logger, batch.Count, ex);
                if (_deadLetters.Reader.Completion.IsCompleted)
                {
                    // Stopping with a store that cannot be written: nothing more can be kept.
                    Interlocked.Add(ref _dropped, retry.Count);
                    done += retry.Count;
                    retry.Clear();
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None);
                }
            }

            Interlocked.Add(ref _written, done);
            Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult();
            ReportDrops();
        }
    }

    private void ReportDrops()
    {
        var dropped = Interlocked.Read(ref _dropped);
        if (dropped != _droppedLogged)
        {
            LogDropped(_logger, dropped - _droppedLogged, dropped);
            _droppedLogged = dropped;
        }
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery journal could not write {Count} steps; dead letters among them are kept and tried again.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delivery journal dropped {Count} trace steps ({Total} since start) because its writer fell behind; metrics and dead letters are complete.")]
    private static partial void LogDropped(ILogger logger, long count, long total);
}
