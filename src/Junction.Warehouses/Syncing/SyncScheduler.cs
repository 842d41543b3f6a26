using System.Collections.Concurrent;
using Junction.Warehouses.Staging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Warehouses.Syncing;

/// <summary>
/// Runs every enabled warehouse's syncs: on its schedule (<see cref="SyncSchedules"/>), at once when asked ("sync
/// now"), and after a failure again with back-off (<see cref="WarehouseOptions.RetryDelay"/> doubling up to
/// <see cref="WarehouseOptions.MaxRetryDelay"/>, never later than the next scheduled sync). A scheduled sync with nothing
/// staged does not even connect, so a DuckDB file stays free for readers between loads. A warehouse never runs two
/// syncs at once; up to <see cref="WarehouseOptions.MaxConcurrentSyncs"/> warehouses sync side by side. Also removes the
/// staging of deleted warehouses and disconnected sources, and old sync history.
/// </summary>
internal sealed partial class SyncScheduler(
    IWarehouseDirectory directory,
    SyncRunner runner,
    SyncHistory history,
    StagingLogs staging,
    IOptions<WarehouseOptions> options,
    TimeProvider time,
    ILogger<SyncScheduler> logger) : BackgroundService, IWarehouseSyncs
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, WarehouseState> _states = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly WarehouseOptions _options = options.Value;

    public Task<IReadOnlyList<SyncRecord>> ListAsync(string warehouseId, string? sourceId, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(history.List(warehouseId, sourceId, offset, count));

    public Task<int> CountAsync(string warehouseId, string? sourceId, CancellationToken cancellationToken) =>
        Task.FromResult(history.Count(warehouseId, sourceId));

    public bool SyncNow(string warehouseId)
    {
        if (directory.Find(warehouseId) is not { Enabled: true })
        {
            return false;
        }

        _states.GetOrAdd(warehouseId, _ => new WarehouseState(time.GetUtcNow())).Requested = true;
        _wake.Release();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        history.FailInterrupted(time.GetUtcNow());
        using var slots = new SemaphoreSlim(_options.MaxConcurrentSyncs);
        var running = new List<Task>();
        var nextCleanup = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= nextCleanup)
            {
                nextCleanup = now + CleanupInterval;
                await CleanUpAsync(now);
            }

            foreach (var warehouse in directory.All())
            {
                if (!warehouse.Enabled)
                {
                    continue;
                }

                var state = _states.GetOrAdd(warehouse.Id, _ => new WarehouseState(now));
                if (state.Running || !(state.Requested || now >= state.NextDue))
                {
                    continue;
                }

                var trigger = state.Requested ? "manual" : state.Failures > 0 ? "retry" : "schedule";
                state.Requested = false;
                state.Running = true;
                running.Add(RunAsync(warehouse, state, trigger, slots, stoppingToken));
            }

            running.RemoveAll(t => t.IsCompleted);
            using var tick = new CancellationTokenSource(Tick, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tick.Token);
            try
            {
                await _wake.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The tick: look at the schedules again.
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(WarehouseInstance warehouse, WarehouseState state, string trigger, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        try
        {
            await slots.WaitAsync(stoppingToken);
            try
            {
                var succeeded = trigger == "schedule" && !await runner.HasStagedAsync(warehouse, stoppingToken)
                    || await runner.RunAsync(warehouse, trigger, stoppingToken);
                var next = SyncSchedules.Next(warehouse.Schedule, started);
                if (succeeded)
                {
                    state.Failures = 0;
                    state.NextDue = next;
                }
                else
                {
                    state.Failures++;
                    var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks << Math.Min(state.Failures - 1, 20)));
                    var retry = time.GetUtcNow() + delay;
                    state.NextDue = retry < next ? retry : next;
                    LogRetry(logger, warehouse.Id, state.Failures, state.NextDue);
                }
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, warehouse.Id, ex);
            state.Failures++;
            state.NextDue = time.GetUtcNow() + _options.RetryDelay;
        }
        finally
        {
            state.Running = false;
            _wake.Release();
        }
    }

    /// <summary>Deletes the staging of warehouses and connections that are gone, and history past its retention.</summary>
    private async Task CleanUpAsync(DateTimeOffset now)
    {
        try
        {
            var warehouses = directory.All().ToDictionary(w => w.Id, StringComparer.Ordinal);
            foreach (var warehouseId in staging.StagedWarehouses())
            {
                if (!warehouses.TryGetValue(warehouseId, out var warehouse))
                {
                    await staging.RemoveAsync(warehouseId, null);
                    _states.TryRemove(warehouseId, out _);
                    continue;
                }

                foreach (var sourceId in staging.StagedSources(warehouseId))
                {
                    if (warehouse.Source(sourceId) is null)
                    {
                        await staging.RemoveAsync(warehouseId, sourceId);
                    }
                }
            }

            history.DeleteOld(now - _options.HistoryRetention, warehouses.Keys);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogCleanupFailed(logger, ex);
        }
    }

    /// <summary>What the scheduler knows of one warehouse. Written only by the scheduler loop and the warehouse's one running sync.</summary>
    private sealed class WarehouseState(DateTimeOffset nextDue)
    {
        public DateTimeOffset NextDue { get; set; } = nextDue;

        public volatile bool Requested;

        public volatile bool Running;

        public int Failures { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse {WarehouseId} failed to sync {Failures} time(s) in a row; next attempt at {NextAttempt:O}.")]
    private static partial void LogRetry(ILogger logger, string warehouseId, int failures, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sync of warehouse {WarehouseId} failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, string warehouseId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clean up warehouse staging or sync history.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception error);
}
