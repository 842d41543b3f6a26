using Junction.Events;
using Junction.Protocols.Processing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.ControlPlane;

internal static class ProtocolsControlPlaneExtensions
{
    /// <summary>
    /// The Protocols control plane: the service every change goes through, and the directory the processor reads
    /// (also as <see cref="IProtocolsDirectory"/>), loaded before the host starts and kept fresh in the background.
    /// </summary>
    public static IServiceCollection AddProtocolsControlPlane(this IServiceCollection services)
    {
        services.AddSingleton<ProtocolsDirectory>();
        services.AddSingleton<IProtocolsDirectory>(sp => sp.GetRequiredService<ProtocolsDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<ProtocolsDirectory>());
        services.AddSingleton<IProcessingGate>(sp => sp.GetRequiredService<ProtocolsDirectory>());
        services.AddScoped<ProtocolsService>();
        return services;
    }

    /// <summary>
    /// The Protocols routes of the Public API (tracking plans with their rules and sources, sources' schema settings,
    /// transformations, the naming conventions and spec templates), each declaring its access rule, mapped into the
    /// <c>/api</c> group.
    /// </summary>
    public static RouteGroupBuilder MapProtocolsApi(this RouteGroupBuilder api) =>
        api.MapTrackingPlansRoutes()
            .MapSchemaSettingsRoutes()
            .MapTransformationsRoutes()
            .MapProtocolsSettingsRoutes();
}
