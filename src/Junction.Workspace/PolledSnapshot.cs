using Junction.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace;

/// <summary>
/// An in-memory snapshot of control-plane data that the data plane reads without touching the database: loaded before
/// the host starts, reloaded after every change the control plane saves (<see cref="RefreshAsync"/>) and every few
/// seconds, so that changes made by another process are picked up too. One reload runs at a time; a failed periodic
/// reload keeps the previous snapshot.
/// </summary>
internal abstract partial class PolledSnapshot(TimeProvider time, ILogger logger) : BackgroundService, IProcessingGate
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the snapshot holds, for the log ("sources", "destinations").</summary>
    protected abstract string What { get; }

    /// <summary>Reloads the snapshot now; call it after saving a change to what it holds.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            await ReloadAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Reads the data and replaces the snapshot; never runs twice at once.</summary>
    protected abstract Task ReloadAsync(CancellationToken cancellationToken);

    /// <summary>Completes once the first load has succeeded (the processor waits for it).</summary>
    public Task Ready => _loaded.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        _loaded.TrySetResult();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, What, ex);
            }
        }
    }

    public override void Dispose()
    {
        _reload.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the {What} snapshot; the previous one stays in use.")]
    private static partial void LogRefreshFailed(ILogger logger, string what, Exception error);
}
