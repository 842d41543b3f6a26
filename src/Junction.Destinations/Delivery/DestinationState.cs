using Junction.Destinations.Framework;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.Delivery;

/// <summary>What a worker may do with its next batch.</summary>
internal enum SendPermit
{
    /// <summary>Send as usual.</summary>
    Send,

    /// <summary>The destination is paused and this batch is its probe.</summary>
    Probe,

    /// <summary>The destination is paused and it is not time to probe.</summary>
    Wait,
}

/// <summary>
/// What the workers of one destination share: its current configuration, its concurrency and rate limits, and its
/// health (failing since when, paused or not, when to probe). Nothing here is shared with another destination, so a
/// failing or slow destination cannot hold up the others.
/// </summary>
internal sealed partial class DestinationState
{
    /// <summary>Failing with nothing delivered for this long is an outage, during which the pile-up rule does not apply.</summary>
    private static readonly TimeSpan OutageGap = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private DestinationInstance _instance;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _lastDeliveredAt;
    private DateTimeOffset? _lastFailedAt;
    private DateTimeOffset _outageEndedAt = DateTimeOffset.MinValue;
    private DeliveryError? _lastError;
    private bool _paused;
    private bool _probing;
    private DateTimeOffset _nextProbeAt;
    private TimeSpan _probeInterval;
    private DateTimeOffset _holdUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inMemory;

    public DestinationState(DestinationInstance instance, DeliveryOptions options, TimeProvider time, ILogger logger)
    {
        _instance = instance;
        _options = options;
        _logger = logger;
        _probeInterval = options.ProbeInterval;
        var (concurrency, perSecond) = options.LimitsFor(instance.Definition.Slug);
        Slots = new SemaphoreSlim(concurrency, concurrency);
        MaxConcurrency = concurrency;
        Pacer = perSecond > 0 ? new RequestPacer(perSecond, time) : null;
    }

    public string DestinationId => _instance.Id;

    /// <summary>The destination's current configuration; replaced when it changes, read at every send.</summary>
    public DestinationInstance Instance
    {
        get => Volatile.Read(ref _instance);
        set => Volatile.Write(ref _instance, value);
    }

    /// <summary>Requests in flight to this destination, across its partitions.</summary>
    public SemaphoreSlim Slots { get; }

    public int MaxConcurrency { get; }

    /// <summary>The requests-per-second limit, or null when there is none.</summary>
    public RequestPacer? Pacer { get; }

    /// <summary>Completes at the next change of the pause state (a probe ended, the destination resumed).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>
    /// Whether the destination is taking events: it delivered something within the last minute. Then
    /// <paramref name="outageEndedAt"/> is when its latest outage (failures with nothing delivered for at least a
    /// minute) ended, or <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public bool IsDelivering(DateTimeOffset now, out DateTimeOffset outageEndedAt)
    {
        lock (_gate)
        {
            outageEndedAt = _outageEndedAt;
            return _lastDeliveredAt is { } at && now - at <= OutageGap;
        }
    }

    public void AddInMemory(int count) => Interlocked.Add(ref _inMemory, count);

    /// <summary>Whether the destination is paused and no probe may go now; <paramref name="retryAt"/> says when to look again.</summary>
    public bool MustWait(DateTimeOffset now, out DateTimeOffset retryAt)
    {
        retryAt = now;
        lock (_gate)
        {
            CheckPause(now);
            if (now < _holdUntil)
            {
                retryAt = _holdUntil;
                return true;
            }

            if (!_paused || (!_probing && now >= _nextProbeAt))
            {
                return false;
            }

            retryAt = _probing ? now + _options.ProbeInterval : _nextProbeAt;
            return true;
        }
    }

    /// <summary>Whether a worker may send now; when it may not, <paramref name="retryAt"/> says when to ask again.</summary>
    public SendPermit TryAcquire(DateTimeOffset now, out DateTimeOffset retryAt)
    {
        retryAt = now;
        lock (_gate)
        {
            CheckPause(now);
            if (now < _holdUntil)
            {
                retryAt = _holdUntil;
                return SendPermit.Wait;
            }

            if (!_paused)
            {
                return SendPermit.Send;
            }

            if (!_probing && now >= _nextProbeAt)
            {
                _probing = true;
                return SendPermit.Probe;
            }

            retryAt = _probing ? now + _options.ProbeInterval : _nextProbeAt;
            return SendPermit.Wait;
        }
    }

    /// <summary>
    /// Records how a send went. <paramref name="answered"/> is true when the tool took or refused at least one event
    /// (it is reachable), false when every event must be retried.
    /// </summary>
    public void Report(DateTimeOffset now, bool probe, bool answered, bool delivered, int status, string message)
    {
        var signal = false;
        lock (_gate)
        {
            if (probe)
            {
                _probing = false;
                signal = true;
            }

            if (delivered)
            {
                // A delivery after a spell of failures with nothing delivered for a while ends an outage.
                if (_lastFailedAt > _lastDeliveredAt.GetValueOrDefault() && now - _lastDeliveredAt.GetValueOrDefault() >= OutageGap)
                {
                    _outageEndedAt = now;
                }

                _lastDeliveredAt = now;
            }

            if (answered)
            {
                if (_paused)
                {
                    LogResumed(_logger, DestinationId, now - (_failingSince ?? now));
                    signal = true;
                }

                _failingSince = null;
                _paused = false;
                _probeInterval = _options.ProbeInterval;
            }
            else
            {
                _lastError = new DeliveryError(now, status, message);
                _lastFailedAt = now;
                _failingSince ??= now;
                if (probe && _paused)
                {
                    _nextProbeAt = now + _probeInterval;
                    _probeInterval = TimeSpan.FromTicks(Math.Min(_probeInterval.Ticks * 2, _options.MaxProbeInterval.Ticks));
                }

                CheckPause(now);
            }

            if (signal)
            {
                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Holds every send to the destination until <paramref name="until"/> (the tool asked to wait with Retry-After).</summary>
    public void HoldUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until > _holdUntil)
            {
                _holdUntil = until;
            }
        }
    }

    /// <summary>A probe that never got an answer (the worker stopped): another may go.</summary>
    public void AbandonProbe()
    {
        lock (_gate)
        {
            _probing = false;
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public DestinationHealthReport Report()
    {
        lock (_gate)
        {
            var state = _paused ? DeliveryHealthState.Paused : _failingSince is null ? DeliveryHealthState.Active : DeliveryHealthState.Retrying;
            return new DestinationHealthReport(
                DestinationId, state, _failingSince, _lastDeliveredAt, _lastError, _paused ? _nextProbeAt : null, Volatile.Read(ref _inMemory));
        }
    }

    private void CheckPause(DateTimeOffset now)
    {
        if (!_paused && _failingSince is { } since && now - since >= _options.PauseAfter)
        {
            _paused = true;
            _nextProbeAt = now + _options.ProbeInterval;
            _probeInterval = TimeSpan.FromTicks(Math.Min(_options.ProbeInterval.Ticks * 2, _options.MaxProbeInterval.Ticks));
            LogPaused(_logger, DestinationId, now - since, _lastError?.Status ?? 0, _lastError?.Message ?? "");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination {DestinationId} paused: its sends have failed for {Duration}; last answer {Status}: {Message}. It is probed with one batch at a growing interval.")]
    private static partial void LogPaused(ILogger logger, string destinationId, TimeSpan duration, int status, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination {DestinationId} answers again after failing for {Duration}; delivery resumes.")]
    private static partial void LogResumed(ILogger logger, string destinationId, TimeSpan duration);
}
