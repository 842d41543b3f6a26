using Junction.Events;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Staging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.Syncing;

internal static class SyncingExtensions
{
    /// <summary>
    /// The warehouses' data plane: staging (a fan-out the processor hands every accepted event to), the loaders, the
    /// sync scheduler (also as <see cref="IWarehouseSyncs"/>) and the sync history.
    /// </summary>
    public static IServiceCollection AddWarehouseSyncing(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<WarehouseOptions>()
            .Bind(configuration.GetSection("Warehouses"))
            .Validate(o => o.LoadSize > 0 && o.ColumnLimit > 0 && o.MaxConcurrentSyncs > 0 && o.RetryDelay > TimeSpan.Zero && o.DedupeLookback >= TimeSpan.Zero,
                "Warehouses: LoadSize, ColumnLimit and MaxConcurrentSyncs must be positive, RetryDelay longer than zero and DedupeLookback not negative.")
            .ValidateOnStart();
        services.AddSingleton(sp => new StagingLogs(dataDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StagingLogs>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventFanout, WarehouseStagingFanout>());
        services.TryAddSingleton<IWarehouseLoaders, WarehouseLoaders>();
        services.AddSingleton(_ => new SyncHistory(Path.Combine(dataDirectory, "warehouse-syncs.db")));
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SyncScheduler>();
        services.AddSingleton<IWarehouseSyncs>(sp => sp.GetRequiredService<SyncScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<SyncScheduler>());
        return services;
    }
}
