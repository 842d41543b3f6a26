using Junction.Dedupe;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Volume;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Ingest.Processing;

/// <summary>Settings of the processor (configuration section <c>Processor</c>).</summary>
internal sealed class ProcessorOptions
{
    /// <summary>How long a messageId is remembered: a repeat within this window is counted and dropped.</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The most messageIds remembered at once, across all partitions (about 21–32 bytes each). When the window holds
    /// more, the oldest are forgotten early and a warning says how far back dedupe then reaches.
    /// </summary>
    public int DedupeMaxKeys { get; set; } = 20_000_000;

    /// <summary>How often the processor commits its position in the log.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the dedupe state is saved, bounding how much of the log a restart replays.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where dedupe snapshots are kept (set from the data directory).</summary>
    public string StateDirectory { get; set; } = "";
}

/// <summary>
/// The processor: one loop per partition of the ingest log, in log order. Each event is checked against the
/// partition's <see cref="Deduplicator"/>; a first sighting is counted as accepted and handed on, a repeat is counted
/// as a duplicate and goes no further. Progress is committed to the log every <see cref="ProcessorOptions.CommitInterval"/>;
/// after a crash the events after the last commit are processed again (at-least-once), while the dedupe state is
/// restored from its snapshot and the log so that it matches exactly what had been committed. The accepted events of
/// each read go through every <see cref="IEventStage"/> (Protocols) and are then handed to every
/// <see cref="IEventFanout"/> (destinations, warehouse staging), one after the other, before the position moves past them.
/// </summary>
internal sealed partial class EventProcessor(
    IEventLog log,
    VolumeCounter volume,
    IEnumerable<IProcessingGate> gates,
    IEnumerable<IEventStage> stages,
    IEnumerable<IEventFanout> fanouts,
    TimeProvider time,
    IOptions<ProcessorOptions> options,
    ILogger<EventProcessor> logger) : BackgroundService
{
    public const string ConsumerName = "processor";
    private const int ReadBatch = 2000;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IEventStage[] _stages = [.. stages];
    private readonly IEventFanout[] _fanouts = [.. fanouts];
    private int _partitionsReady;

    /// <summary>Completes once every partition has restored its dedupe state and started processing.</summary>
    public Task Ready => _ready.Task;

    /// <summary>True once every partition has processed and committed everything in the log at the time of the call.</summary>
    public async Task<bool> IsCaughtUpAsync(CancellationToken cancellationToken)
    {
        for (var p = 0; p < log.PartitionCount; p++)
        {
            if (await log.GetCommittedAsync(ConsumerName, p, cancellationToken) < log.GetHead(p))
            {
                return false;
            }
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.Value.StateDirectory);

        // The configuration the stages and fan-outs read must be loaded before the first event is handled.
        await Task.WhenAll(gates.Select(g => g.Ready)).WaitAsync(stoppingToken);
        var loops = Enumerable.Range(0, log.PartitionCount).Select(p => Task.Run(() => RunPartitionAsync(p, stoppingToken), stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task RunPartitionAsync(int partition, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProcessPartitionAsync(partition, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPartitionFailed(logger, partition, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    private async Task ProcessPartitionAsync(int partition, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var committed = await log.GetCommittedAsync(ConsumerName, partition, stoppingToken);
        var dedupe = await RestoreDedupeAsync(partition, committed, stoppingToken);
        if (Interlocked.Increment(ref _partitionsReady) == log.PartitionCount)
        {
            _ready.TrySetResult();
        }

        var position = committed;
        var nextCommit = time.GetUtcNow() + settings.CommitInterval;
        var nextSnapshot = time.GetUtcNow() + settings.SnapshotInterval;
        var nextShortWindowWarning = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var entries = await log.ReadAsync(partition, position, ReadBatch, settings.CommitInterval, stoppingToken);
                var accepted = new List<LogEntry>(entries.Count);
                foreach (var entry in entries)
                {
                    if (Process(entry, dedupe))
                    {
                        accepted.Add(entry);
                    }
                }

                IReadOnlyList<LogEntry> handOn = accepted;
                foreach (var stage in _stages)
                {
                    handOn = handOn.Count > 0 ? await stage.ProcessAsync(handOn, stoppingToken) : handOn;
                }

                if (handOn.Count > 0)
                {
                    foreach (var fanout in _fanouts)
                    {
                        await fanout.FanOutAsync(handOn, stoppingToken);
                    }
                }

                if (entries.Count > 0)
                {
                    position = entries[^1].Position;
                }

                var now = time.GetUtcNow();
                if (dedupe.EffectiveWindow < dedupe.Window && now >= nextShortWindowWarning)
                {
                    LogShortWindow(logger, partition, dedupe.EffectiveWindow, dedupe.Window);
                    nextShortWindowWarning = now + TimeSpan.FromHours(1);
                }

                if (position > committed && (now >= nextCommit || entries.Count == 0))
                {
                    await log.CommitAsync(ConsumerName, partition, position, stoppingToken);
                    committed = position;
                    nextCommit = now + settings.CommitInterval;
                }

                if (now >= nextSnapshot && committed == position)
                {
                    await SaveSnapshotAsync(partition, dedupe, committed, stoppingToken);
                    nextSnapshot = now + settings.SnapshotInterval;
                }
            }
        }
        finally
        {
            if (position > committed)
            {
                await log.CommitAsync(ConsumerName, partition, position, CancellationToken.None);
                committed = position;
            }

            if (committed > LogPosition.Start)
            {
                await SaveSnapshotAsync(partition, dedupe, committed, CancellationToken.None);
            }
        }
    }

    /// <summary>Counts one event; true when it is a first sighting, to be handed on.</summary>
    private bool Process(LogEntry entry, Deduplicator dedupe)
    {
        EventType type;
        string? name;
        string sourceId;
        if (EventTag.TryParse(entry.Tag, out type, out name))
        {
            sourceId = EventTag.SourceOf(entry.IdempotencyKey);
        }
        else if (EventEnvelope.TryRead(entry.Payload.Span, out var envelope))
        {
            (type, name, sourceId) = (envelope.Type, envelope.Name, envelope.SourceId);
        }
        else
        {
            LogUnreadable(logger, entry.Partition, entry.Position.Value);
            return false;
        }

        var kind = dedupe.TryAdd(entry.IdempotencyKey, entry.AppendedAt) ? VolumeKind.Accepted : VolumeKind.Duplicate;
        volume.Add(sourceId, type, name, entry.AppendedAt, kind);
        return kind == VolumeKind.Accepted;
    }

    /// <summary>Loads the newest snapshot at or before the committed position and replays the log up to that position.</summary>
    private async Task<Deduplicator> RestoreDedupeAsync(int partition, LogPosition committed, CancellationToken cancellationToken)
    {
        var window = options.Value.DedupeWindow;
        var maxKeys = Math.Max(1, options.Value.DedupeMaxKeys / log.PartitionCount);
        var path = SnapshotPath(partition);
        var dedupe = new Deduplicator(window, maxKeys);
        var from = LogPosition.Start;
        if (File.Exists(path) && Deduplicator.Load(await File.ReadAllBytesAsync(path, cancellationToken), window, maxKeys) is { } loaded
            && loaded.Position <= committed.Value)
        {
            dedupe = loaded.State;
            from = new LogPosition(loaded.Position);
        }

        var replayed = 0;
        while (from < committed)
        {
            var entries = await log.ReadAsync(partition, from, ReadBatch, TimeSpan.Zero, cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (entry.Position > committed)
                {
                    from = committed;
                    break;
                }

                dedupe.TryAdd(entry.IdempotencyKey, entry.AppendedAt);
                from = entry.Position;
                replayed++;
            }
        }

        if (replayed > 0)
        {
            LogReplayed(logger, partition, replayed);
        }

        return dedupe;
    }

    private async Task SaveSnapshotAsync(int partition, Deduplicator dedupe, LogPosition position, CancellationToken cancellationToken)
    {
        var path = SnapshotPath(partition);
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            dedupe.Save(stream, position.Value);
#pragma warning disable CA1849 // FlushAsync cannot fsync; this is the durability point.
            stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        cancellationToken.ThrowIfCancellationRequested();
        File.Move(temp, path, overwrite: true);
    }

    private string SnapshotPath(int partition) => Path.Combine(options.Value.StateDirectory, $"dedupe-p{partition:D3}.bin");

    [LoggerMessage(Level = LogLevel.Error, Message = "Processor partition {Partition} failed; it restarts from its last commit in 5 seconds.")]
    private static partial void LogPartitionFailed(ILogger logger, int partition, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processor partition {Partition}: the event at position {Position} is not a normalized event; it was skipped.")]
    private static partial void LogUnreadable(ILogger logger, int partition, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processor partition {Partition}: dedupe reaches back only {Effective} instead of {Window} because Processor:DedupeMaxKeys was reached; raise it to keep the whole window.")]
    private static partial void LogShortWindow(ILogger logger, int partition, TimeSpan effective, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Information, Message = "Processor partition {Partition}: rebuilt dedupe state from {Count} logged events.")]
    private static partial void LogReplayed(ILogger logger, int partition, int count);
}
