using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog;

/// <summary>
/// The destinations Junction ships, listed explicitly (no scanning). Each family of destinations adds itself in its own
/// file by implementing one of the partial methods below.
/// </summary>
internal static partial class BuiltInDestinations
{
    /// <summary>Every built-in destination, in catalog order.</summary>
    public static IReadOnlyList<IDestination> All { get; } = Create();

    private static List<IDestination> Create()
    {
        var all = new List<IDestination>();
        AddWebhooksAndMessaging(all);
        AddAnalytics(all);
        AddMarketing(all);
        return all;
    }

    /// <summary>Webhooks (classic and Actions), Slack, Intercom, PostHog.</summary>
    static partial void AddWebhooksAndMessaging(List<IDestination> destinations);

    /// <summary>Amplitude, Mixpanel, Google Analytics 4, Meta Conversions API, Klaviyo.</summary>
    static partial void AddAnalytics(List<IDestination> destinations);

    /// <summary>Customer.io, Braze, HubSpot, Iterable.</summary>
    static partial void AddMarketing(List<IDestination> destinations);
}
