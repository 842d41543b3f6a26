using Junction.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Junction.Destinations.Fanout;

internal static class FanoutExtensions
{
    /// <summary>Makes the processor hand accepted events to the destinations (instead of to nothing).</summary>
    public static IServiceCollection AddDestinationFanout(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IEventFanout, DestinationFanout>());
        return services;
    }
}
