using System.Collections.Concurrent;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery;

/// <summary>
/// The destinations' durable queues: one <see cref="FileEventLog"/> per destination under
/// <c>{DataDirectory}/destinations/{destinationId}/log</c>, opened on first use and shared by the fan-out (which
/// appends) and the router (which reads and commits). Records are partitioned by user, deduplicated by
/// <see cref="DeliveryRecord.IdempotencyKey"/> and tagged with their action id.
/// </summary>
internal sealed partial class DeliveryQueues : IDeliveryQueues, IAsyncDisposable
{
    /// <summary>The consumer name under which the router commits its position in every queue.</summary>
    public const string RouterConsumer = "router";

    private readonly ConcurrentDictionary<string, Lazy<FileEventLog>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _removed = new(StringComparer.Ordinal);
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryQueues> _logger;
    private int _disposed;

    public DeliveryQueues(IOptions<DeliveryOptions> options, TimeProvider time, ILogger<DeliveryQueues> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return [];
        }

        if (_removed.ContainsKey(destinationId) || Volatile.Read(ref _disposed) != 0)
        {
            return Enumerable.Repeat(new AppendResult(AppendStatus.Unavailable, -1, default), records.Count).ToArray();
        }

        var logRecords = new LogRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            logRecords[i] = new LogRecord(record.UserKey, record.IdempotencyKey, record.Encode(), record.ActionId);
        }

        return await Open(destinationId).AppendAsync(logRecords, cancellationToken);
    }

    /// <summary>The queue of a destination, created on first use.</summary>
    public IEventLog Open(string destinationId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _queues.GetOrAdd(destinationId, id => new Lazy<FileEventLog>(() => OpenLog(id))).Value;
    }

    /// <summary>
    /// Closes and deletes the queue of a deleted destination, with whatever it still held. Appends for that id are
    /// refused afterwards (until the process restarts), so a late fan-out cannot bring the directory back.
    /// </summary>
    public async ValueTask RemoveAsync(string destinationId, CancellationToken cancellationToken)
    {
        _removed[destinationId] = true;
        if (_queues.TryRemove(destinationId, out var queue) && queue.IsValueCreated)
        {
            await queue.Value.DisposeAsync();
        }

        var directory = QueueDirectory(destinationId);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var parent = Path.GetDirectoryName(directory)!;
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }

            LogRemoved(_logger, destinationId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, destinationId, directory, ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var queue in _queues.Values)
        {
            if (queue.IsValueCreated)
            {
                await queue.Value.DisposeAsync();
            }
        }

        _queues.Clear();
    }

    /// <summary>Where a destination's queue is kept.</summary>
    public string QueueDirectory(string destinationId)
    {
        if (destinationId.Length is 0 or > 100 || !destinationId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || destinationId.All(c => c == '.'))
        {
            throw new ArgumentException($"Destination id '{destinationId}' cannot name a queue directory: use 1-100 letters, digits, '-', '_' or '.'.", nameof(destinationId));
        }

        return Path.Combine(_options.DataDirectory, "destinations", destinationId, "log");
    }

    private FileEventLog OpenLog(string destinationId)
    {
        var options = new FileEventLogOptions
        {
            Directory = QueueDirectory(destinationId),
            Partitions = _options.Partitions,

            // A queue is not an archive: delivered segments go soon, and small segments let them go sooner.
            SegmentBytes = 32L * 1024 * 1024,
            Retention = TimeSpan.FromHours(1),
        };
        return FileEventLog.Open(options, _time, _logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the delivery queue of destination {DestinationId}.")]
    private static partial void LogRemoved(ILogger logger, string destinationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the delivery queue of destination {DestinationId} in {Directory}.")]
    private static partial void LogRemoveFailed(ILogger logger, string destinationId, string directory, Exception error);
}
