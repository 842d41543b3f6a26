using Junction.EventLog;
using Junction.Ingest.Debugger;
using Junction.Ingest.Processing;
using Junction.Ingest.Tracking;
using Junction.Ingest.Volume;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Junction.Ingest;

internal static class IngestExtensions
{
    /// <summary>
    /// The data plane of one machine: the embedded event log, the Tracking API gateway, the processor that
    /// dedupes and counts, the debugger feed and event volume.
    /// </summary>
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection("Tracking")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FileEventLogOptions>()
            .Bind(configuration.GetSection("EventLog"))
            .PostConfigure(o => o.Directory = string.IsNullOrEmpty(o.Directory) ? Path.Combine(dataDirectory, "eventlog") : o.Directory)
            .Validate(o => o.Partitions is >= 1 and <= 1024, "EventLog:Partitions must be from 1 to 1024.")
            .Validate(o => o.MinFreeBytes >= 0, "EventLog:MinFreeBytes must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<IEventLog>(sp => FileEventLog.Open(
            sp.GetRequiredService<IOptions<FileEventLogOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Junction.EventLog")));

        services.AddOptions<ProcessorOptions>()
            .Bind(configuration.GetSection("Processor"))
            .PostConfigure(o => o.StateDirectory = string.IsNullOrEmpty(o.StateDirectory) ? Path.Combine(dataDirectory, "processor") : o.StateDirectory)
            .Validate(o => o.DedupeWindow >= TimeSpan.FromMinutes(1), "Processor:DedupeWindow must be at least one minute.")
            .Validate(o => o.DedupeMaxKeys >= 1000, "Processor:DedupeMaxKeys must be at least 1000.")
            .ValidateOnStart();

        services.AddSingleton<DebuggerFeed>();
        services.AddSingleton<VolumeCounter>();
        services.AddSingleton(_ => new VolumeStore(Path.Combine(dataDirectory, "volume.db")));
        services.AddSingleton<SourceRateLimiter>();
        services.AddSingleton<Deadlines>();
        services.AddSingleton<TrackingGateway>();

        // Hosted services stop in reverse order: the flusher is registered first so it writes the processor's last counts.
        services.AddSingleton<VolumeFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<VolumeFlusher>());
        services.AddSingleton<EventProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<EventProcessor>());
        return services;
    }

    /// <summary>The Public API routes of the data plane (debugger and volume).</summary>
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder api) => api.MapDebuggerApi().MapVolumeApi();
}
