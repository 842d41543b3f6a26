using Junction.EventLog;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Staging;

/// <summary>
/// The warehouses' durable staging: one single-partition <see cref="FileEventLog"/> per warehouse and source under
/// <c>{DataDirectory}/warehouses/{warehouseId}/staging/{sourceId}</c>, appended to by the processor's fan-out and read
/// by the warehouse's syncs, which commit their position as <see cref="LoaderConsumer"/> once a load has committed in
/// the warehouse. A log keeps what its loader has not committed, whatever its age.
/// </summary>
internal sealed partial class StagingLogs : IAsyncDisposable
{
    /// <summary>The consumer name under which a warehouse's syncs commit their position.</summary>
    public const string LoaderConsumer = "loader";

    private readonly KeyedLogs<(string Warehouse, string Source)> _logs;
    private readonly ILogger<StagingLogs> _logger;

    public StagingLogs(string dataDirectory, TimeProvider time, ILogger<StagingLogs> logger)
    {
        Root = Path.Combine(dataDirectory, "warehouses");
        _logger = logger;
        _logs = new(key => new FileEventLogOptions
        {
            Directory = Path.Combine(Root, Checked(key.Warehouse), "staging", Checked(key.Source)),
            Partitions = 1,

            // Staging is not an archive: loaded segments go after a day (the dedupe look-back is in the warehouse itself).
            SegmentBytes = 32L * 1024 * 1024,
            Retention = TimeSpan.FromDays(1),
        }, time, logger);
    }

    /// <summary>The directory that holds every warehouse's staging.</summary>
    public string Root { get; }

    /// <summary>The staging log of a source for a warehouse, created on first use.</summary>
    public IEventLog Open(string warehouseId, string sourceId) => _logs.Open((warehouseId, sourceId));

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
        await _logs.CloseAsync(k => k.Warehouse == warehouseId && (sourceId is null || k.Source == sourceId));
        var directory = sourceId is null ? Path.Combine(Root, Checked(warehouseId)) : Path.Combine(Root, Checked(warehouseId), "staging", Checked(sourceId));
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
                LogRemoved(_logger, warehouseId, sourceId ?? "*");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, directory, ex);
        }
    }

    public ValueTask DisposeAsync() => _logs.DisposeAsync();

    private static string Checked(string id) => FileEventLogOptions.DirectoryName(id, "Id");

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the warehouse staging of warehouse {WarehouseId}, source {SourceId}.")]
    private static partial void LogRemoved(ILogger logger, string warehouseId, string sourceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the warehouse staging in {Directory}.")]
    private static partial void LogRemoveFailed(ILogger logger, string directory, Exception error);
}
