using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Workspace.Audit;

/// <summary>Settings of the audit trail (section <c>Audit</c>).</summary>
internal sealed class AuditOptions
{
    /// <summary>How long entries are kept; older ones are deleted (<c>Audit:Retention</c>, 90 days by default, as Segment).</summary>
    public TimeSpan Retention { get; set; } = AuditTrail.DefaultRetention;
}

/// <summary>Deletes audit entries older than <see cref="AuditOptions.Retention"/>, at start-up and then every hour.</summary>
internal sealed partial class AuditRetention(
    IDbContextFactory<JunctionDbContext> contexts,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes the entries past retention now and answers how many there were.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.AuditEvents.Where(a => a.Timestamp < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPurged(logger, deleted, options.Value.Retention.TotalDays);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} audit entries older than {Days} days.")]
    private static partial void LogPurged(ILogger logger, int count, double days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete old audit entries; trying again in an hour.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception error);
}
