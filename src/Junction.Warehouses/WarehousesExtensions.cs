using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Syncing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses;

internal static class WarehousesExtensions
{
    /// <summary>
    /// Warehouses: the control plane (catalog, warehouses, connected sources, selective sync, schedules) and the data
    /// plane (staging of every event of a connected source, the loaders, scheduled and on-demand syncs, sync history).
    /// </summary>
    public static IServiceCollection AddWarehouses(this IServiceCollection services, IConfiguration configuration, string dataDirectory) =>
        services
            .AddWarehousesControlPlane(dataDirectory)
            .AddWarehouseSyncing(configuration, dataDirectory);

    /// <summary>The warehouses routes of the Public API, mapped into the <c>/api</c> group.</summary>
    public static RouteGroupBuilder MapWarehousesApi(this RouteGroupBuilder api) =>
        api.MapWarehousesControlPlaneApi();
}
