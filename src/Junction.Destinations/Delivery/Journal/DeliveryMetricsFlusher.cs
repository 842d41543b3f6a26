using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>Moves counts from <see cref="DeliveryMetricsCounter"/> into <see cref="JournalStore"/> every few seconds, and on shutdown.</summary>
internal sealed partial class DeliveryMetricsFlusher(
    DeliveryMetricsCounter counter,
    JournalStore store,
    IOptions<DeliveryJournalOptions> options,
    TimeProvider time,
    ILogger<DeliveryMetricsFlusher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Writes whatever has been counted so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var drained = counter.Drain(time.GetUtcNow() - TimeSpan.FromMinutes(5));
            if (drained.Count == 0)
            {
                return;
            }

            try
            {
                await store.AddMetricsAsync(drained, cancellationToken);
            }
            catch
            {
                counter.Restore(drained);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MetricsFlushInterval, time);
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

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write delivery metrics; the counts are kept and written on the next try.")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
