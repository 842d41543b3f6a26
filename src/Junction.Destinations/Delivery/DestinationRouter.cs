using Junction.Destinations.Framework;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Destinations.Delivery;

/// <summary>
/// The router: runs a <see cref="DestinationRunner"/> (one worker per queue partition) for every destination in the
/// <see cref="IDestinationDirectory"/>, enabled or not — a disabled destination gets no new events from the fan-out
/// but what is already in its queue is still delivered. It follows the directory's changes: a new destination gets
/// workers, a changed one is sent with its new settings from its next batch on, and a deleted one is stopped and its
/// queue deleted.
/// </summary>
internal sealed partial class DestinationRouter(
    IDestinationDirectory directory,
    DeliveryQueues queues,
    DestinationHealth health,
    IDeliveryJournal journal,
    DeliveryHttp http,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<DestinationRouter> logger) : BackgroundService
{
    private readonly Dictionary<string, DestinationRunner> _runners = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = directory.Changed;
                try
                {
                    await ReconcileAsync(directory.All(), stoppingToken);
                    await changed.WaitAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogReconcileFailed(logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_runners.Values.Select(r => r.StopAsync()));
            foreach (var id in _runners.Keys)
            {
                health.Remove(id);
            }

            _runners.Clear();
        }
    }

    private async Task ReconcileAsync(IReadOnlyList<DestinationInstance> current, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in current)
        {
            seen.Add(instance.Id);
            if (_runners.TryGetValue(instance.Id, out var runner))
            {
                if (runner.State.Instance.Version != instance.Version)
                {
                    runner.State.Instance = instance;
                }

                continue;
            }

            runner = new DestinationRunner(instance, queues, options.Value, journal, http.Client, time, logger);
            _runners.Add(instance.Id, runner);
            health.Add(runner.State);
            LogStarted(logger, instance.Id, instance.Definition.Slug, instance.Enabled);
        }

        foreach (var id in _runners.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            var runner = _runners[id];
            _runners.Remove(id);
            health.Remove(id);
            await runner.StopAsync();
            await queues.RemoveAsync(id, cancellationToken);
            LogRemoved(logger, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering to destination {DestinationId} ({Slug}, enabled: {Enabled}).")]
    private static partial void LogStarted(ILogger logger, string destinationId, string slug, bool enabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination {DestinationId} was deleted: its delivery stopped and its queue was removed.")]
    private static partial void LogRemoved(ILogger logger, string destinationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The router could not apply the destination configuration; it tries again in 5 seconds.")]
    private static partial void LogReconcileFailed(ILogger logger, Exception error);
}
