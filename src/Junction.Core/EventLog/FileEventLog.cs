using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Junction.EventLog;

/// <summary>
/// The embedded event log: one directory per partition holding append-only segment files, written by one
/// thread that group-commits (every append waiting at that moment shares one write and one fsync per touched
/// partition). "Durable" here means written and fsynced; an append answers only after that.
/// </summary>
internal sealed partial class FileEventLog : IEventLog
{
    private const long HealthMarginBytes = 1024 * 1024;
    private const int MaxReadChunk = 64 * 1024;
    private readonly FileEventLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PartitionFiles[] _partitions;
    private readonly Channel<AppendRequest> _queue;
    private readonly ConsumerPositions _positions;
    private readonly Thread _writer;
    private volatile string? _problem;
    private long _lastFreeBytes = -1;

    private FileEventLog(FileEventLogOptions options, TimeProvider time, ILogger logger, int partitions)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _partitions = new PartitionFiles[partitions];
        for (var i = 0; i < partitions; i++)
        {
            _partitions[i] = new PartitionFiles(i, Path.Combine(options.Directory, $"p{i:D3}"));
        }

        _positions = new ConsumerPositions(Path.Combine(options.Directory, "consumers"), partitions);
        _queue = Channel.CreateBounded<AppendRequest>(new BoundedChannelOptions(options.MaxPendingAppends)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "junction-eventlog-writer" };
    }

    public int PartitionCount => _partitions.Length;

    /// <summary>Opens (or creates) the log in <see cref="FileEventLogOptions.Directory"/>, recovering from a crash.</summary>
    public static FileEventLog Open(FileEventLogOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Directory);
        Directory.CreateDirectory(options.Directory);
        var partitions = ReadOrCreateMetadata(options);
        var log = new FileEventLog(options, time, logger, partitions);
        foreach (var partition in log._partitions)
        {
            var cut = partition.Open();
            if (cut > 0)
            {
                LogTornTail(logger, partition.Index, cut);
            }
        }

        log._positions.Load();
        log._writer.Start();
        return log;
    }

    public async ValueTask<AppendResult[]> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return [];
        }

        var request = new AppendRequest(records);
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken);
            return await request.Completion.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline passed. The records may still be written; a retry with the same ids is deduplicated.
            return Enumerable.Repeat(new AppendResult(AppendStatus.Unavailable, -1, default), records.Count).ToArray();
        }
        catch (ChannelClosedException)
        {
            return Enumerable.Repeat(new AppendResult(AppendStatus.Unavailable, -1, default), records.Count).ToArray();
        }
    }

    public async ValueTask<IReadOnlyList<LogEntry>> ReadAsync(
        int partition, LogPosition after, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var files = _partitions[partition];
        if (files.DurableEnd <= after.Value && maxWait > TimeSpan.Zero)
        {
            var appended = files.WhenAppended();
            if (files.DurableEnd <= after.Value)
            {
                try
                {
                    await appended.WaitAsync(maxWait, _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return [];
                }
            }
        }

        return ReadAvailable(files, after.Value, maxCount);
    }

    public async ValueTask CommitAsync(string consumer, int partition, LogPosition position, CancellationToken cancellationToken)
    {
        if (position.Value > _partitions[partition].DurableEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(position), "A consumer cannot commit beyond the end of the log.");
        }

        await _positions.CommitAsync(consumer, partition, position.Value, cancellationToken);
    }

    public ValueTask<LogPosition> GetCommittedAsync(string consumer, int partition, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new LogPosition(_positions.Get(consumer, partition)));

    public LogPosition GetHead(int partition) => new(_partitions[partition].DurableEnd);

    public LogHealth GetHealth()
    {
        var free = Interlocked.Read(ref _lastFreeBytes);
        if (free < 0)
        {
            free = FreeBytes();
        }

        // Readiness keeps a small margin above the floor: a disk with a few kilobytes left cannot take a batch.
        var problem = _problem;
        if (problem is null && free - Math.Max(0, _options.MinFreeBytes) < HealthMarginBytes)
        {
            problem = $"Free disk space ({free:N0} bytes) is at or below the floor of {_options.MinFreeBytes:N0} bytes (EventLog:MinFreeBytes).";
        }

        return new LogHealth(problem is null, "file", free, _options.MinFreeBytes, problem);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(() => _writer.Join(TimeSpan.FromSeconds(30)));
        foreach (var partition in _partitions)
        {
            partition.Dispose();
        }
    }

    /// <summary>
    /// Reads whole frames from <paramref name="from"/> up to the durable end. Payloads point into the chunk they were
    /// read with, so each chunk is a new array sized to what is there (at most 64 KB, below the large-object heap,
    /// unless a single frame is larger).
    /// </summary>
    private static IReadOnlyList<LogEntry> ReadAvailable(PartitionFiles files, long from, int maxCount)
    {
        var entries = new List<LogEntry>(Math.Min(maxCount, 256));
        var offset = from;
        var wanted = RecordFrame.HeaderSize;
        while (entries.Count < maxCount)
        {
            var available = files.DurableEnd - offset;
            if (available <= 0)
            {
                break;
            }

            var chunk = new byte[(int)Math.Min(available, Math.Max(wanted, MaxReadChunk))];
            var read = files.Read(offset, chunk);
            if (read == 0)
            {
                break;
            }

            var consumed = 0;
            while (entries.Count < maxCount)
            {
                var outcome = RecordFrame.TryRead(
                    chunk.AsMemory(consumed, read - consumed),
                    out var frameLength, out var appendedAt, out var partitionKey, out var idempotencyKey, out var tag, out var payload);
                if (outcome == RecordFrame.ReadOutcome.Corrupt)
                {
                    throw new InvalidDataException(
                        $"The event log partition {files.Index} has a damaged record at position {offset + consumed}.");
                }

                if (outcome == RecordFrame.ReadOutcome.NeedMoreData)
                {
                    wanted = frameLength;
                    break;
                }

                consumed += frameLength;
                entries.Add(new LogEntry(files.Index, new LogPosition(offset + consumed), appendedAt, partitionKey, idempotencyKey, tag, payload));
            }

            if (consumed == 0 && wanted <= chunk.Length)
            {
                // A frame never straddles the durable end, so a chunk that holds no whole frame means the read
                // stopped at a segment boundary; the next read continues in the next segment.
                break;
            }

            offset += consumed;
            wanted = RecordFrame.HeaderSize;
        }

        return entries;
    }

    private static int ReadOrCreateMetadata(FileEventLogOptions options)
    {
        var path = Path.Combine(options.Directory, "log.json");
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            var metadata = JsonSerializer.Deserialize(stream, EventLogJsonContext.Default.LogMetadata)
                ?? throw new InvalidDataException($"{path} is empty.");
            return metadata.Partitions;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Partitions, 1);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, new LogMetadata(1, options.Partitions), EventLogJsonContext.Default.LogMetadata);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return options.Partitions;
    }

    private long FreeBytes()
    {
        try
        {
            return new DriveInfo(_options.Directory).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return long.MaxValue;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log partition {Partition}: cut {Bytes} bytes of an unfinished write at the end of the newest segment (it was never acknowledged).")]
    private static partial void LogTornTail(ILogger logger, int partition, long bytes);

    private sealed class AppendRequest(IReadOnlyList<LogRecord> records)
    {
        public IReadOnlyList<LogRecord> Records { get; } = records;

        public TaskCompletionSource<AppendResult[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal sealed record LogMetadata(int Version, int Partitions);
