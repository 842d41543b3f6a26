using Junction.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Junction.Destinations.Fanout;

internal static class FanoutExtensions
{
    /// <summary>Makes the processor hand accepted events to the destinations.</summary>
    public static IServiceCollection AddDestinationFanout(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventFanout, DestinationFanout>());
        return services;
    }
}
