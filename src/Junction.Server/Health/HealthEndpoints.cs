using Junction.EventLog;
using Junction.Ingest.Processing;

namespace Junction.Server.Health;

/// <summary>
/// <c>GET /health</c>: 200 when this process can accept events (the event log is writable and the disk above its
/// floor), 503 otherwise, with the details in the body either way.
/// </summary>
internal static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton(new DataDirectory(dataDirectory));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (IEventLog log, EventProcessor processor, DataDirectory data) =>
        {
            var eventLog = log.GetHealth();
            var processorReady = processor.Ready.IsCompletedSuccessfully;
            var ready = eventLog.Available && processorReady;
            long? freeBytes = null;
            try
            {
                freeBytes = new DriveInfo(data.Path).AvailableFreeSpace;
            }
            catch (IOException)
            {
            }

            var body = new
            {
                status = ready ? "ready" : "unavailable",
                eventLog = new
                {
                    available = eventLog.Available,
                    implementation = eventLog.Implementation,
                    freeBytes = eventLog.FreeBytes,
                    minFreeBytes = eventLog.MinFreeBytes,
                    problem = eventLog.Problem,
                },
                processor = new { ready = processorReady },
                disk = new { path = data.Path, freeBytes },
                memory = Memory(),
            };
            return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static object Memory()
    {
        var gc = GC.GetGCMemoryInfo();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new
        {
            residentBytes = process.WorkingSet64,
            managedHeapBytes = gc.HeapSizeBytes,
            managedCommittedBytes = gc.TotalCommittedBytes,
        };
    }
}

/// <summary>The directory that holds all embedded state.</summary>
internal sealed record DataDirectory(string Path);
