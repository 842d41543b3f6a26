using Junction.Protocols.Observation;
using Junction.Protocols.Violations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Processing;

/// <summary>
/// Moves what the Protocols stage counted in memory (schema observations, blocked events, violations) into
/// <c>protocols.db</c> every <see cref="ProtocolsProcessingOptions.FlushInterval"/>, off the processor's path; the
/// schema and violations routes flush first so that they include what arrived a moment ago. A failed write puts
/// everything back for the next one. The last flush runs once the host has stopped (after the processor's last read),
/// so a clean shutdown loses nothing.
/// </summary>
internal sealed partial class ProtocolsFlusher(
    SchemaObserver observer,
    SchemaStore schema,
    ViolationRecorder recorder,
    ViolationStore violations,
    IOptions<ProtocolsProcessingOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ProtocolsFlusher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenRegistration _stopped;
    private DateTimeOffset _nextPrune;

    /// <summary>Writes whatever has been counted so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var settings = options.Value;
            var observed = observer.Drain();
            if (!observed.IsEmpty)
            {
                try
                {
                    await schema.WriteAsync(observed, settings.MaxEventsPerSource, settings.MaxPropertiesPerEvent, cancellationToken);
                }
                catch
                {
                    observer.Restore(observed);
                    throw;
                }
            }

            var found = recorder.Drain(now);
            if (!found.IsEmpty)
            {
                try
                {
                    await violations.WriteAsync(found, settings.ViolationSamplesKept, cancellationToken);
                }
                catch
                {
                    recorder.Restore(found);
                    throw;
                }
            }

            if (now >= _nextPrune)
            {
                _nextPrune = now + TimeSpan.FromHours(1);
                await schema.PruneAsync(now, cancellationToken);
                await violations.PruneAsync(now, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services stop in reverse order of registration; the processor may still count after this service
        // stops, so the last flush waits for the whole host to have stopped.
        _stopped = lifetime.ApplicationStopped.Register(() => TryFlushAsync(CancellationToken.None).GetAwaiter().GetResult());
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopped.Dispose();
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Protocols: could not write schema observations or violations; they are kept and written on the next try.")]
    private static partial void LogFlushFailed(ILogger logger, Exception error);
}
