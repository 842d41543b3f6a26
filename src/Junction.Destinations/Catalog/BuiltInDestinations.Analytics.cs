using Junction.Destinations.Catalog.Amplitude;
using Junction.Destinations.Catalog.GoogleAnalytics;
using Junction.Destinations.Catalog.Klaviyo;
using Junction.Destinations.Catalog.Meta;
using Junction.Destinations.Catalog.Mixpanel;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog;

internal static partial class BuiltInDestinations
{
    static partial void AddAnalytics(List<IDestination> destinations)
    {
        destinations.Add(new AmplitudeDestination());
        destinations.Add(new MixpanelDestination());
        destinations.Add(new GoogleAnalyticsDestination());
        destinations.Add(new MetaDestination());
        destinations.Add(new KlaviyoDestination());
    }
}
