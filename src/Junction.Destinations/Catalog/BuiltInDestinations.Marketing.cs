using Junction.Destinations.Catalog.Braze;
using Junction.Destinations.Catalog.CustomerIo;
using Junction.Destinations.Catalog.HubSpot;
using Junction.Destinations.Catalog.Iterable;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog;

internal static partial class BuiltInDestinations
{
    static partial void AddMarketing(List<IDestination> destinations)
    {
        destinations.Add(new CustomerIoDestination());
        destinations.Add(new BrazeDestination());
        destinations.Add(new HubSpotDestination());
        destinations.Add(new IterableDestination());
    }
}
