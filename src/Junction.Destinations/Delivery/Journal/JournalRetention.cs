using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>
/// Deletes what the journal no longer keeps, every <see cref="DeliveryJournalOptions.CleanupInterval"/>: trace steps
/// past <see cref="DeliveryJournalOptions.Retention"/> or beyond <see cref="DeliveryJournalOptions.MaxTraceSteps"/>,
/// dead letters past their retention, per-minute metrics past theirs.
/// </summary>
internal sealed partial class JournalRetention(
    JournalStore store,
    IOptions<DeliveryJournalOptions> options,
    TimeProvider time,
    ILogger<JournalRetention> logger) : BackgroundService
{
    /// <summary>Runs one clean-up now and answers how many trace steps it deleted.</summary>
    public Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        return store.CleanupAsync(now - o.Retention, o.MaxTraceSteps, now - o.DeadLetterRetention, now - o.MetricsRetention, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        try
        {
            do
            {
                try
                {
                    var deleted = await RunOnceAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        LogCleaned(logger, deleted);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCleanupFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} delivery trace steps past their retention.")]
    private static partial void LogCleaned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clean up the delivery journal; it is tried again at the next interval.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception error);
}
