using Junction.Destinations.Framework;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.Delivery;

/// <summary>The workers of one destination, one per partition of its queue, and the state they share.</summary>
internal sealed class DestinationRunner
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;

    public DestinationRunner(
        DestinationInstance instance, DeliveryQueues queues, DeliveryOptions options, IDeliveryJournal journal, HttpClient http, TimeProvider time, ILogger logger)
    {
        State = new DestinationState(instance, options, time, logger);
        var queue = queues.Open(instance.Id);
        _workers = new Task[queue.PartitionCount];
        for (var p = 0; p < _workers.Length; p++)
        {
            var worker = new PartitionWorker(State, queue, p, options, journal, http, time, logger);
            _workers[p] = Task.Run(() => worker.RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public DestinationState State { get; }

    /// <summary>Stops the workers; each commits what it finished. Records in flight are sent again by the next run.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers);
        _stopping.Dispose();
    }
}
