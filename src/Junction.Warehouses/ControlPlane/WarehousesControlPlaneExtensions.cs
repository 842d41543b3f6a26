using Junction.Events;
using Junction.Warehouses.Staging;
using Junction.Workspace.Secrets;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.ControlPlane;

internal static class WarehousesControlPlaneExtensions
{
    /// <summary>
    /// The warehouses control plane: the catalog, settings with their secrets (a DuckDB path is resolved against
    /// <paramref name="dataDirectory"/>), the service every change goes through, and the directory the data plane reads
    /// (also as <see cref="IWarehouseDirectory"/>), kept fresh in the background.
    /// </summary>
    public static IServiceCollection AddWarehousesControlPlane(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton<WarehouseCatalog>();
        services.AddSingleton(sp => new WarehouseSettings(sp.GetRequiredService<SecretProtector>(), dataDirectory));
        services.AddSingleton<WarehouseDirectory>();
        services.AddSingleton<IWarehouseDirectory>(sp => sp.GetRequiredService<WarehouseDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<WarehouseDirectory>());
        services.AddSingleton<IProcessingGate>(sp => sp.GetRequiredService<WarehouseDirectory>());
        services.AddScoped<WarehouseService>();
        return services;
    }

    /// <summary>
    /// The warehouses routes of the Public API (catalog, warehouses, connected sources, selective sync, schedules,
    /// syncs), each declaring its access rule, mapped into the <c>/api</c> group.
    /// </summary>
    public static RouteGroupBuilder MapWarehousesControlPlaneApi(this RouteGroupBuilder api) =>
        api.MapWarehousesRoutes()
            .MapWarehouseSyncsRoutes();

    /// <summary>The warehouses catalog's logos, outside <c>/api</c> and without a token, like the sources' and destinations'.</summary>
    public static IEndpointRouteBuilder MapWarehouseLogosRoute(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapWarehouseLogos();
}
