using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Junction.Ingest.Volume;

/// <summary>Moves counts from <see cref="VolumeCounter"/> into <see cref="VolumeStore"/> every few seconds, and on shutdown.</summary>
internal sealed partial class VolumeFlusher(VolumeCounter counter, VolumeStore store, TimeProvider time, ILogger<VolumeFlusher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private DateTimeOffset _nextPrune;

    /// <summary>Writes whatever has been counted so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counts = counter.Drain(now - TimeSpan.FromMinutes(5));
        if (counts.Count > 0)
        {
            try
            {
                await store.AddAsync(counts, cancellationToken);
            }
            catch
            {
                counter.Restore(counts);
                throw;
            }
        }

        if (now >= _nextPrune)
        {
            _nextPrune = now + TimeSpan.FromHours(1);
            await store.PruneAsync(now, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TryFlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await TryFlushAsync(cancellationToken);
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write event volume; the counts are kept and written on the next try.")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
