using System.Collections.Concurrent;
using Junction.EventLog;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Staging;

/// <summary>
/// The warehouses' durable staging: one single-partition <see cref="FileEventLog"/> per warehouse and source under
/// <c>{DataDirectory}/warehouses/{warehouseId}/staging/{sourceId}</c>, appended to by the processor's fan-out and read
/// by the warehouse's syncs, which commit their position as <see cref="LoaderConsumer"/> once a load has committed in
/// the warehouse. A log keeps what its loader has not committed, whatever its age.
/// </summary>
internal sealed partial class StagingLogs(string dataDirectory, TimeProvider time, ILogger<StagingLogs> logger) : IAsyncDisposable
{
    /// <summary>The consumer name under which a warehouse's syncs commit their position.</summary>
    public const string LoaderConsumer = "loader";

    private readonly ConcurrentDictionary<(string Warehouse, string Source), Lazy<FileEventLog>> _logs = new();
    private int _disposed;

    /// <summary>The directory that holds every warehouse's staging.</summary>
    public string Root { get; } = Path.Combine(dataDirectory, "warehouses");

    /// <summary>The staging log of a source for a warehouse, created on first use.</summary>
    public IEventLog Open(string warehouseId, string sourceId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _logs.GetOrAdd((warehouseId, sourceId), key => new Lazy<FileEventLog>(() => OpenLog(key.Warehouse, key.Source))).Value;
    }

    /// <summary>The sources that have a staging log for a warehouse, on disk.</summary>
    public IReadOnlyList<string> StagedSources(string warehouseId)
    {
        var directory = Path.Combine(Root, Checked(warehouseId), "staging");
        return Directory.Exists(directory) ? [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>()] : [];
    }

    /// <summary>The warehouses that have staging on disk.</summary>
    public IReadOnlyList<string> StagedWarehouses() =>
        Directory.Exists(Root) ? [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()] : [];

    /// <summary>
    /// Closes and deletes the staging of a source that was disconnected from a warehouse (or of every source, when
    /// <paramref name="sourceId"/> is null: the warehouse was deleted), with whatever it still held.
    /// </summary>
    public async ValueTask RemoveAsync(string warehouseId, string? sourceId)
    {
        foreach (var key in _logs.Keys.Where(k => k.Warehouse == warehouseId && (sourceId is null || k.Source == sourceId)).ToList())
        {
            if (_logs.TryRemove(key, out var log) && log.IsValueCreated)
            {
                await log.Value.DisposeAsync();
            }
        }

        var directory = sourceId is null ? Path.Combine(Root, Checked(warehouseId)) : Path.Combine(Root, Checked(warehouseId), "staging", Checked(sourceId));
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
                LogRemoved(logger, warehouseId, sourceId ?? "*");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(logger, directory, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var log in _logs.Values)
        {
            if (log.IsValueCreated)
            {
                await log.Value.DisposeAsync();
            }
        }

        _logs.Clear();
    }

    private FileEventLog OpenLog(string warehouseId, string sourceId)
    {
        var options = new FileEventLogOptions
        {
            Directory = Path.Combine(Root, Checked(warehouseId), "staging", Checked(sourceId)),
            Partitions = 1,

            // Staging is not an archive: loaded segments go after a day (the dedupe look-back is in the warehouse itself).
            SegmentBytes = 32L * 1024 * 1024,
            Retention = TimeSpan.FromDays(1),
        };
        return FileEventLog.Open(options, time, logger);
    }

    /// <summary>An id used as a directory name: letters, digits, '-', '_' and '.' only (ids come from the control plane).</summary>
    private static string Checked(string id) =>
        id.Length is 0 or > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id.All(c => c == '.')
            ? throw new ArgumentException($"'{id}' cannot name a staging directory: use 1-100 letters, digits, '-', '_' or '.'.", nameof(id))
            : id;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the warehouse staging of warehouse {WarehouseId}, source {SourceId}.")]
    private static partial void LogRemoved(ILogger logger, string warehouseId, string sourceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the warehouse staging in {Directory}.")]
    private static partial void LogRemoveFailed(ILogger logger, string directory, Exception error);
}
