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

    private readonly KeyedLogs<string> _queues;
    private readonly ConcurrentDictionary<string, bool> _removed = new(StringComparer.Ordinal);
    private readonly DeliveryOptions _options;
    private readonly ILogger<DeliveryQueues> _logger;

    public DeliveryQueues(IOptions<DeliveryOptions> options, TimeProvider time, ILogger<DeliveryQueues> logger)
    {
        _options = options.Value;
        _logger = logger;
        _queues = new(destinationId => new FileEventLogOptions
        {
            Directory = QueueDirectory(destinationId),
            Partitions = _options.Partitions,

            // A queue is not an archive: delivered segments go soon, and small segments let them go sooner.
            SegmentBytes = 32L * 1024 * 1024,
            Retention = TimeSpan.FromHours(1),
        }, time, logger);
    }

    public async ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return [];
        }

        if (_removed.ContainsKey(destinationId) || _queues.IsDisposed)
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
    public IEventLog Open(string destinationId) => _queues.Open(destinationId);

    /// <summary>
    /// Closes and deletes the queue of a deleted destination, with whatever it still held. Appends for that id are
    /// refused afterwards (until the process restarts), so a late fan-out cannot bring the directory back.
    /// </summary>
    public async ValueTask RemoveAsync(string destinationId, CancellationToken cancellationToken)
    {
        _removed[destinationId] = true;
        await _queues.CloseAsync(id => id == destinationId);
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

    public ValueTask DisposeAsync() => _queues.DisposeAsync();

    /// <summary>Where a destination's queue is kept.</summary>
    public string QueueDirectory(string destinationId) =>
        Path.Combine(_options.DataDirectory, "destinations", FileEventLogOptions.DirectoryName(destinationId, "Destination id"), "log");

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the delivery queue of destination {DestinationId}.")]
    private static partial void LogRemoved(ILogger logger, string destinationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the delivery queue of destination {DestinationId} in {Directory}.")]
    private static partial void LogRemoveFailed(ILogger logger, string destinationId, string directory, Exception error);
}
