namespace Junction.Destinations.Delivery;

/// <summary>
/// A requests-per-second limit for one destination, shared by its workers without a lock: each request claims the
/// next slot of a virtual schedule (a generic cell rate algorithm), so up to one second's worth of requests may go
/// at once after a quiet spell and the rate then holds at the limit.
/// </summary>
internal sealed class RequestPacer
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly long _toleranceTicks;
    private long _theoreticalArrival;

    public RequestPacer(double requestsPerSecond, TimeProvider time)
    {
        _time = time;
        _intervalTicks = Math.Max(1, (long)(TimeSpan.TicksPerSecond / requestsPerSecond));
        var burst = Math.Max(1, (long)requestsPerSecond);
        _toleranceTicks = (burst - 1) * _intervalTicks;
    }

    /// <summary>Waits until the caller may send.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        long wait;
        while (true)
        {
            var current = Volatile.Read(ref _theoreticalArrival);
            var start = Math.Max(current, now);
            wait = start - now - _toleranceTicks;
            if (Interlocked.CompareExchange(ref _theoreticalArrival, start + _intervalTicks, current) == current)
            {
                break;
            }
        }

        return wait > 0 ? Task.Delay(TimeSpan.FromTicks(wait), _time, cancellationToken) : Task.CompletedTask;
    }
}
