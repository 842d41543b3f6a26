using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Junction.Workspace.Data;
using Microsoft.AspNetCore.Http;

namespace Junction.Destinations.ControlPlane;

/// <summary>A destination as the Public API shows it (Segment's <c>DestinationV1</c>): secrets in <c>settings</c> are masked.</summary>
internal sealed record DestinationV1(string Id, string Name, bool Enabled, DestinationMetadataV1 Metadata, string SourceId, JsonObject Settings)
{
    public static DestinationV1 From(DestinationView destination, HttpRequest request) => new(
        destination.Id,
        destination.Name,
        destination.Enabled,
        DestinationMetadataV1.From(destination.Definition, request),
        destination.SourceId,
        destination.Settings);
}

/// <summary>A subscription as the Public API shows it (Segment's <c>DestinationSubscription</c>); its mapping is <c>settings</c>.</summary>
internal sealed record DestinationSubscriptionV1(
    string Id, string Name, string ActionId, string ActionSlug, string DestinationId, bool Enabled, JsonElement Settings, string Trigger)
{
    public static DestinationSubscriptionV1 From(SubscriptionView view) => new(
        view.Subscription.Id,
        view.Subscription.Name,
        view.Subscription.ActionId,
        view.ActionSlug,
        view.Subscription.DestinationId,
        view.Subscription.Enabled,
        JsonSerializer.Deserialize<JsonElement>(view.Subscription.MappingJson),
        view.Subscription.Trigger);
}

/// <summary>A destination filter as the Public API shows it (Segment's <c>DestinationFilterV1</c>).</summary>
internal sealed record DestinationFilterV1(
    string Id,
    string SourceId,
    string DestinationId,
    [property: JsonPropertyName("if")] string If,
    JsonElement Actions,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    bool Enabled,
    string CreatedAt,
    string UpdatedAt)
{
    public static DestinationFilterV1 From(DestinationFilterEntity filter) => new(
        filter.Id,
        filter.SourceId,
        filter.DestinationId,
        filter.If,
        JsonSerializer.Deserialize<JsonElement>(filter.ActionsJson),
        filter.Title,
        filter.Description,
        filter.Enabled,
        Iso(filter.CreatedAt),
        Iso(filter.UpdatedAt));

    private static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
