using Junction.Destinations.Catalog.Intercom;
using Junction.Destinations.Catalog.PostHog;
using Junction.Destinations.Catalog.Slack;
using Junction.Destinations.Catalog.Webhooks;
using Junction.Destinations.Catalog.WebhooksActions;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Catalog;

internal static partial class BuiltInDestinations
{
    static partial void AddWebhooksAndMessaging(List<IDestination> destinations)
    {
        destinations.Add(new WebhooksDestination());
        destinations.Add(new WebhooksActionsDestination());
        destinations.Add(new SlackDestination());
        destinations.Add(new IntercomDestination());
        destinations.Add(new PostHogDestination());
    }
}
