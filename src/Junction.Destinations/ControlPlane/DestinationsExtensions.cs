using Junction.Destinations.Catalog;
using Junction.Destinations.Framework;
using Junction.Events;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.ControlPlane;

internal static class DestinationsExtensions
{
    /// <summary>
    /// The destinations control plane: the catalog (the built-in destinations), settings with their secrets, the
    /// service every change goes through, and the directory the data plane reads (also as
    /// <see cref="IDestinationDirectory"/>), kept fresh in the background.
    /// </summary>
    public static IServiceCollection AddDestinationsControlPlane(this IServiceCollection services)
    {
        services.AddSingleton(new DestinationCatalog(BuiltInDestinations.All));
        services.AddSingleton<DestinationSettings>();
        services.AddSingleton<DestinationDirectory>();
        services.AddSingleton<IDestinationDirectory>(sp => sp.GetRequiredService<DestinationDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<DestinationDirectory>());
        services.AddSingleton<IProcessingGate>(sp => sp.GetRequiredService<DestinationDirectory>());
        services.AddScoped<DestinationService>();
        return services;
    }

    /// <summary>
    /// The destinations routes of the Public API (catalog, destinations, subscriptions, filters, a source's connected
    /// destinations), each declaring its access rule, mapped into the <c>/api</c> group.
    /// </summary>
    public static RouteGroupBuilder MapDestinationsApi(this RouteGroupBuilder api) =>
        api.MapDestinationCatalogApi()
            .MapDestinationsRoutes()
            .MapSubscriptionsRoutes()
            .MapFiltersRoutes();

    /// <summary>The destinations catalog's logos, outside <c>/api</c> and without a token, like the sources'.</summary>
    public static IEndpointRouteBuilder MapDestinationLogosRoute(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapDestinationLogos();
}
