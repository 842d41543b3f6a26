using System.Globalization;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Iterable;

/// <summary>
/// Iterable's API with a server-side key: events (<c>/api/events/track</c>, or <c>trackBulk</c> for several), user
/// updates (<c>/api/users/update</c> or <c>bulkUpdate</c>), purchases and carts. Dates inside <c>dataFields</c> are
/// sent in Iterable's <c>yyyy-MM-dd HH:mm:ss +00:00</c> form and <c>createdAt</c> in Unix seconds. The data center
/// setting picks the host unless the base URL is overridden.
/// </summary>
/// <remarks>
/// Segment writes the default triggers of trackPurchase and updateCart with <c>==</c>, which its parser reads as
/// comparing the event name with <c>"="</c>, so they never match. These are written with a single <c>=</c>, as
/// Segment's own presets are.
/// </remarks>
internal sealed class IterableDestination : IDestination
{
    public const string EuHost = "https://api.eu.iterable.com";

    public static DestinationDefinition Definition { get; } = new(
        Id: "645babd9362d97b777391325",
        Slug: "actions-iterable",
        Name: "Iterable (Actions)",
        Description: "A cross-channel marketing platform for e-mail, push, SMS and in-app campaigns. Junction updates Iterable users and sends their events, purchases and cart changes.",
        Categories: [DestinationCategories.EmailMarketing, DestinationCategories.Marketing],
        Website: "https://iterable.com",
        Badge: new SourceBadge("IT", "#6A266D"),
        Settings:
        [
            new("apiKey", "API Key", "A server-side API key, from Integrations > API Keys in Iterable.", FieldType.Password, Required: true),
            new("dataCenterLocation", "Data Center", "Where your Iterable project lives; ignored when the base URL is overridden.", FieldType.Select,
                Default: "united_states", Choices: [new("united_states", "United States"), new("europe", "Europe")]),
        ],
        Actions:
        [
            new("trackEvent", "trackEvent", "Track Event", "Records a custom event on a user.", TrackCalls,
            [
                Field("email", "Email", PathOr("$.properties.email", "$.context.traits.email")),
                Field("userId", "User ID", Path("$.userId")),
                Field("eventName", "Event Name", Path("$.event"), required: true),
                Field("dataFields", "Event Data Fields", Path("$.properties"), FieldType.Object),
                Field("id", "Event ID", Path("$.messageId")),
                Field("createdAt", "Timestamp", Path("$.timestamp"), FieldType.Datetime),
                Field("campaignId", "Campaign ID", Path("$.properties.campaignId"), FieldType.Integer),
                Field("templateId", "Template ID", Path("$.properties.templateId"), FieldType.Integer),
            ], MaxBatchSize: 1000),
            new("updateUser", "updateUser", "Upsert User", "Creates a user or updates their data fields.", "type = \"identify\"",
            [
                Field("email", "Email", Path("$.traits.email")),
                Field("userId", "User ID", Path("$.userId")),
                Field("dataFields", "User Data Fields", Path("$.traits"), FieldType.Object),
                Field("phoneNumber", "Phone Number", Path("$.traits.phone")),
                Field("mergeNestedObjects", "Merge Nested Objects", false, FieldType.Boolean),
            ], MaxBatchSize: 1000),
            new("trackPurchase", "trackPurchase", "Track Purchase", "Records a completed order with its items.", OrderCompleted,
            [
                Field("id", "Order ID", Path("$.properties.order_id")),
                User(),
                Items(),
                Field("total", "Total", Path("$.properties.total"), FieldType.Number, required: true),
                Field("createdAt", "Timestamp", Path("$.timestamp"), FieldType.Datetime),
                Field("dataFields", "Purchase Data Fields", Path("$.properties"), FieldType.Object),
                Field("campaignId", "Campaign ID", Path("$.properties.campaignId"), FieldType.Integer),
                Field("templateId", "Template ID", Path("$.properties.templateId"), FieldType.Integer),
            ]),
            new("updateCart", "updateCart", "Update Cart", "Replaces the items of the user's shopping cart.", CartUpdated, [User(), Items()]),
        ],
        Presets:
        [
            new("Track Calls", "trackEvent", TrackCalls),
            new("Identify Calls", "updateUser", "type = \"identify\""),
            new("Update Cart Calls", "updateCart", CartUpdated),
            new("Order Completed Calls", "trackPurchase", OrderCompleted),
        ],
        DefaultBaseUrl: "https://api.iterable.com");

    private const string TrackCalls = "type = \"track\" and event != \"Order Completed\" and event != \"Cart Updated\"";
    private const string OrderCompleted = "type = \"track\" and event = \"Order Completed\"";
    private const string CartUpdated = "type = \"track\" and event = \"Cart Updated\"";

    DestinationDefinition IDestination.Definition => Definition;

    public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var regional = context with { BaseUrl = BaseUrlFor(context) };
        var (single, bulk, listKey) = batch.Action.Id switch
        {
            "updateUser" => ("/api/users/update", "/api/users/bulkUpdate", "users"),
            "trackPurchase" => ("/api/commerce/trackPurchase", null, null),
            "updateCart" => ("/api/commerce/updateCart", null, null),
            _ => ("/api/events/track", "/api/events/trackBulk", "events"),
        };
        var bodies = batch.Items.Select(item => Body(batch.Action.Id, item)).ToList();
        return Built.SendValidAsync(bodies, async valid =>
        {
            var (path, body) = valid.Count > 1 && bulk is not null
                ? (bulk, new JsonObject { [listKey!] = new JsonArray([.. valid]) })
                : (single, valid[0]);
            return await regional.SendJsonAsync(HttpMethod.Post, regional.Url(path), body,
                headers => headers.Add("Api-Key", context.Setting("apiKey") ?? ""), cancellationToken);
        });
    }

    /// <summary>The European host when the setting says so and the base URL is the default; an overridden base URL always wins.</summary>
    internal static string BaseUrlFor(SendContext context) =>
        context.UsesDefaultHost(Definition) && context.Setting("dataCenterLocation") == "europe" ? EuHost : context.BaseUrl;

    private static Built<JsonObject> Body(string actionId, DeliveryItem item)
    {
        var payload = item.Payload;
        var user = actionId is "trackPurchase" or "updateCart" ? payload["user"] as JsonObject ?? [] : payload;
        if (user.Text("email") is null && user.Text("userId") is null)
        {
            return Built<JsonObject>.Refused("Iterable needs the user's email or userId.");
        }

        var body = new JsonObject();
        if (actionId is "trackPurchase" or "updateCart")
        {
            if (payload["items"] is not JsonArray items || (actionId == "trackPurchase" && payload.Number("total") is null))
            {
                return Built<JsonObject>.Refused(actionId == "trackPurchase" ? "A purchase needs its items and total." : "A cart update needs its items.");
            }

            body.SetIfPresent("id", actionId == "trackPurchase" ? payload.Text("id") : null);
            body["user"] = UserBody(user);
            body["items"] = new JsonArray([.. items.OfType<JsonObject>().Select(ItemBody)]);
            body.SetIfPresent("total", payload.Number("total"));
        }
        else if (actionId == "updateUser")
        {
            return Built<JsonObject>.Ok(UserBody(user));
        }
        else if (payload.Text("eventName") is { } eventName)
        {
            body.SetIfPresent("email", payload.Text("email"));
            body.SetIfPresent("userId", payload.Text("userId"));
            body["eventName"] = eventName;

            // The id is Iterable's dedupe key (a repeated id updates the event): the messageId when none is mapped.
            body["id"] = payload.Text("id") ?? item.MessageId;
        }
        else
        {
            return Built<JsonObject>.Refused("The event name (eventName) is missing.");
        }

        body.SetIfPresent("createdAt", UnixSeconds(payload["createdAt"]));
        body.SetIfPresent("dataFields", DataFields(payload["dataFields"]));
        body.SetIfPresent("campaignId", payload.Number("campaignId") is { } campaign ? (long)campaign : null);
        body.SetIfPresent("templateId", payload.Number("templateId") is { } template ? (long)template : null);
        return Built<JsonObject>.Ok(body);
    }

    private static JsonObject UserBody(JsonObject user)
    {
        var body = new JsonObject();
        body.SetIfPresent("email", user.Text("email"));
        body.SetIfPresent("userId", user.Text("userId"));
        var dataFields = DataFields(user["dataFields"]) as JsonObject ?? [];
        dataFields.SetIfPresent("phoneNumber", user.Text("phoneNumber"));
        if (dataFields.Count > 0)
        {
            body["dataFields"] = dataFields;
        }

        body["mergeNestedObjects"] = user.Flag("mergeNestedObjects", false);
        return body;
    }

    /// <summary>A commerce item: categories always a list, and its own data fields' dates converted.</summary>
    private static JsonObject ItemBody(JsonObject item)
    {
        var body = (JsonObject)item.DeepClone();
        if (body["categories"] is JsonValue category)
        {
            body["categories"] = new JsonArray(category.DeepClone());
        }

        body.SetIfPresent("dataFields", DataFields(item["dataFields"]));
        return body;
    }

    private static JsonNode? DataFields(JsonNode? fields) => fields is JsonObject { Count: > 0 }
        ? ConvertTimes(fields, t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss '+00:00'", CultureInfo.InvariantCulture))
        : null;

    private static ActionField Field(string key, string label, JsonNode mapping, FieldType type = FieldType.String, bool required = false) =>
        new(key, label, $"Sent as {key}.", type, required, mapping);

    private static ActionField User() => new("user", "User", "The user: email, userId and dataFields.", FieldType.Object, Required: true,
        Default: new JsonObject { ["email"] = PathOr("$.properties.email", "$.context.traits.email"), ["userId"] = Path("$.userId") });

    private static ActionField Items() => new("items", "Items", "The order's or cart's products.", FieldType.Object, Required: true, Multiple: true,
        Default: new JsonObject
        {
            ["@arrayPath"] = new JsonArray("$.properties.products", new JsonObject
            {
                ["id"] = Path("$.product_id"),
                ["sku"] = Path("$.sku"),
                ["categories"] = Path("$.category"),
                ["name"] = Path("$.name"),
                ["price"] = Path("$.price"),
                ["quantity"] = Path("$.quantity"),
                ["url"] = Path("$.url"),
                ["imageUrl"] = Path("$.image_url"),
            }),
        });
}
