using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Braze;

/// <summary>
/// Braze's <c>/users/track</c> endpoint: custom events, purchases (one object per product) and profile attributes,
/// up to 75 objects per request. Braze answers 201 with an <c>errors</c> list naming the objects it refused, which
/// become per-item 400s; the chosen REST endpoint picks the host unless the base URL is overridden.
/// </summary>
internal sealed partial class BrazeDestination : IDestination
{
    /// <summary>Braze takes at most this many objects in one array of a <c>/users/track</c> request.</summary>
    public const int MaxObjects = 75;

    private static readonly string[] Clusters =
    [
        "iad-01", "iad-02", "iad-03", "iad-04", "iad-05", "iad-06", "iad-07", "iad-08", "us-09", "us-10", "fra-01", "fra-02", "au-01", "id-01", "jp-01",
    ];

    public static DestinationDefinition Definition { get; } = new(
        Id: "60f9d0d048950c356be2e4da",
        Slug: "actions-braze-cloud",
        Name: "Braze Cloud Mode (Actions)",
        Description: "A customer engagement platform for push, e-mail, in-app and SMS messaging. Junction sends Braze its users' profile attributes, custom events and purchases from the server.",
        Categories: [DestinationCategories.Marketing, DestinationCategories.EmailMarketing],
        Website: "https://www.braze.com",
        Badge: new SourceBadge("BZ", "#300266"),
        Settings:
        [
            new("api_key", "API Key", "A REST API key with the users.track permission, from Settings > APIs and Identifiers in Braze.", FieldType.Password, Required: true),
            new("app_id", "App ID", "The app identifier added to events and purchases, if you want them attributed to an app.", FieldType.String),
            new("endpoint", "REST Endpoint", "Your Braze cluster's REST endpoint; ignored when the base URL is overridden.", FieldType.Select, Required: true,
                Default: "https://rest.iad-01.braze.com", Choices: [.. Clusters.Select(c => new Choice(Host(c), c.ToUpperInvariant()))]),
        ],
        Actions:
        [
            new("trackEvent", "trackEvent", "Track Event", "Records a custom event on a user.", "type = \"track\" and event != \"Order Completed\"",
            [
                .. Identity(PathOr("$.context.traits.email", "$.properties.email")),
                Field("name", "Event Name", "$.event", required: true),
                Field("time", "Time", "$.receivedAt", required: true, type: FieldType.Datetime),
                Field("properties", "Event Properties", "$.properties", type: FieldType.Object),
            ], MaxBatchSize: MaxObjects),
            new("trackPurchase", "trackPurchase", "Track Purchase", "Records one purchase per product of an order.", "event = \"Order Completed\"",
            [
                .. Identity(PathOr("$.context.traits.email", "$.properties.email")),
                Field("time", "Time", "$.receivedAt", required: true, type: FieldType.Datetime),
                new("products", "Products", "The order's products; each needs product_id and price.", FieldType.Object, Required: true, Default: Path("$.properties.products"), Multiple: true),
                Field("properties", "Purchase Properties", "$.properties", type: FieldType.Object),
            ], MaxBatchSize: MaxObjects),
            new("updateUserProfile", "updateUserProfile", "Update User Profile", "Sets a user's standard and custom attributes.", "type = \"identify\"",
            [
                .. Identity(Path("$.traits.email")),
                Field("first_name", "First Name", "$.traits.firstName"),
                Field("last_name", "Last Name", "$.traits.lastName"),
                Field("phone", "Phone", "$.traits.phone"),
                Field("gender", "Gender", "$.traits.gender"),
                Field("dob", "Date of Birth", "$.traits.birthday", type: FieldType.Datetime),
                Field("home_city", "Home City", "$.traits.address.city"),
                Field("country", "Country", "$.context.location.country"),
                new("current_location", "Current Location", "Latitude and longitude.", FieldType.Object,
                    Default: new JsonObject { ["latitude"] = Path("$.context.location.latitude"), ["longitude"] = Path("$.context.location.longitude") }),
                Field("image_url", "Avatar Image URL", "$.traits.avatar"),
                Field("language", "Language", "$.context.locale"),
                new("email_subscribe", "Email Subscribe", "opted_in, subscribed or unsubscribed.", FieldType.String),
                new("push_subscribe", "Push Subscribe", "opted_in, subscribed or unsubscribed.", FieldType.String),
                Field("custom_attributes", "Custom Attributes", "$.traits", type: FieldType.Object),
            ], MaxBatchSize: MaxObjects),
        ],
        Presets:
        [
            new("Track Calls", "trackEvent", "type = \"track\" and event != \"Order Completed\""),
            new("Order Completed Calls", "trackPurchase", "event = \"Order Completed\""),
            new("Identify Calls", "updateUserProfile", "type = \"identify\""),
        ],
        DefaultBaseUrl: Host("iad-01"));

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var regional = context with { BaseUrl = BaseUrlFor(context) };
        var appId = context.Setting("app_id");
        var (array, build) = batch.Action.Id switch
        {
            "trackPurchase" => ("purchases", (Func<JsonObject, Built<JsonObject[]>>)(p => Purchases(p, appId))),
            "updateUserProfile" => ("attributes", p => Attributes(p, batch.Action)),
            _ => ("events", p => Event(p, appId)),
        };
        var items = batch.Items.Select(item => build(item.Payload)).ToList();
        return await Built.SendValidAsync(items, valid => SendInRequestsAsync(regional, array, valid, batch.Items.Count > 1, cancellationToken));
    }

    /// <summary>The chosen REST endpoint when the base URL is the default; an overridden base URL always wins.</summary>
    internal static string BaseUrlFor(SendContext context) =>
        context.UsesDefaultHost(Definition) && context.Setting("endpoint") is { } endpoint ? endpoint.TrimEnd('/') : context.BaseUrl;

    /// <summary>
    /// Sends the items' objects in as few requests as keep each array within <see cref="MaxObjects"/> (an order's
    /// products are never split), in order. After a failed request the items not yet sent share its status, so they
    /// are retried (or dropped) together and keep their order.
    /// </summary>
    private static async Task<SendResult> SendInRequestsAsync(SendContext context, string array, IReadOnlyList<JsonObject[]> items, bool batched, CancellationToken cancellationToken)
    {
        var statuses = new int[items.Count];
        SendResult? last = null;
        var requests = 0;
        for (var start = 0; start < items.Count;)
        {
            var (end, count) = (start, 0);
            for (; end < items.Count && count + items[end].Length <= MaxObjects; end++)
            {
                count += items[end].Length;
            }

            if (count == 0)
            {
                // Orders without products: Braze has nothing to record.
                Array.Fill(statuses, 200, start, end - start);
                start = end;
                continue;
            }

            var objects = new JsonArray([.. items.Take(end).Skip(start).SelectMany(objs => objs.Select(o => (JsonNode)o))]);
            var (result, body) = await context.CallJsonAsync(HttpMethod.Post, context.Url("/users/track"), new JsonObject { [array] = objects }, headers =>
            {
                headers.Authorization = new AuthenticationHeaderValue("Bearer", context.Setting("api_key"));
                if (batched)
                {
                    headers.Add("X-Braze-Batch", "true");
                }
            }, cancellationToken);
            (last, requests) = (result, requests + 1);
            if (SendClassifier.Classify(result.Status) != SendOutcome.Delivered)
            {
                Array.Fill(statuses, result.Status, start, items.Count - start);
                break;
            }

            // Each refused object makes the item it came from a 400; Braze numbers objects within the request's array.
            var owners = Enumerable.Range(start, end - start).SelectMany(i => Enumerable.Repeat(i, items[i].Length)).ToArray();
            Array.Fill(statuses, result.Status, start, end - start);
            foreach (var error in ParseBody(body)?["errors"] as JsonArray ?? [])
            {
                if (error?["index"] is JsonValue index && index.TryGetValue<int>(out var i) && i >= 0 && i < owners.Length)
                {
                    statuses[owners[i]] = SendResult.InvalidPayloadStatus;
                }
            }

            start = end;
        }

        return last is null ? SendResult.Ok()
            : requests == 1 && statuses.All(s => s == last.Status) ? last
            : SendResult.PerItem(statuses, last.Body, last.RetryAfter);
    }

    private static string Host(string cluster) =>
        string.Create(CultureInfo.InvariantCulture, $"https://rest.{cluster}.braze.{(cluster.StartsWith("fra", StringComparison.Ordinal) ? "eu" : "com")}");

    private static ActionField Field(string key, string label, string path, bool required = false, FieldType type = FieldType.String) =>
        new(key, label, $"Read from {path} by default.", type, required, Path(path));

    private static ActionField[] Identity(JsonObject email) =>
    [
        Field("external_id", "External User ID", "$.userId"),
        new("user_alias", "User Alias", "An alias_name and alias_label pair, for users without an external id.", FieldType.Object),
        Field("braze_id", "Braze User ID", "$.properties.braze_id"),
        new("email", "Email", "Identifies the user by e-mail when there is no other identifier.", FieldType.String, Default: email),
        new("_update_existing_only", "Update Existing Only", "Only update users that already exist in Braze.", FieldType.Boolean, Default: false),
    ];
}
