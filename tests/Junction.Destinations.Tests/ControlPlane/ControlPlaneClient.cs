using Junction.Testing;

namespace Junction.Destinations.Tests.ControlPlane;

/// <summary>What the destinations control-plane tests add to <see cref="PublicApiJson"/>: a destination made through the API.</summary>
internal static class ControlPlaneClient
{
    public static async Task<string> CreateDestinationAsync(this HttpClient client, string sourceId, string settings = "{}", bool enabled = false)
    {
        var data = await client.PostJsonAsync("destinations",
            $$"""{"sourceId":"{{sourceId}}","metadataId":"{{TestDestinations.ActionsId}}","enabled":{{(enabled ? "true" : "false")}},"settings":{{settings}}}""").DataAsync();
        return data.GetProperty("destination").GetProperty("id").GetString()!;
    }
}
