using System.Text.Json;
using Junction.Destinations.Framework;

namespace Junction.Destinations.Fanout;

/// <summary>
/// Segment's <c>integrations</c> object: a map of destination names (case-sensitive: the catalog name, or one of the
/// destination's other names) to <c>true</c>, <c>false</c> or an options object (which means on). <c>All</c> is the
/// fallback for destinations not named, and is on when absent.
/// </summary>
internal static class IntegrationsObject
{
    public static bool Allows(JsonElement @event, DestinationDefinition destination)
    {
        if (!@event.TryGetProperty("integrations", out var integrations) || integrations.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        if (Setting(integrations, destination.Name) is { } named)
        {
            return named;
        }

        foreach (var name in destination.IntegrationNames ?? [])
        {
            if (Setting(integrations, name) is { } other)
            {
                return other;
            }
        }

        return Setting(integrations, "All") ?? true;
    }

    /// <summary>The value for one name: false only for <c>false</c>; any other value (true, an options object) is on.</summary>
    private static bool? Setting(JsonElement integrations, string name) =>
        integrations.TryGetProperty(name, out var value) ? value.ValueKind != JsonValueKind.False : null;
}
