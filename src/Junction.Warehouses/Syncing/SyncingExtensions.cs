using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Syncing;

internal static class SyncingExtensions
{
    /// <summary>The warehouses' data plane: staging, loaders, the sync scheduler and the sync history.</summary>
    public static IServiceCollection AddWarehouseSyncing(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        _ = configuration;
        _ = dataDirectory;
        return services;
    }
}
