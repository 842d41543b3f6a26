using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Amplitude;

/// <summary>
/// Amplitude (Actions): events through the HTTP V2 API in batches, user properties through the Identify API, group
/// properties through Group Identify, and aliases through the user-mapping API. The API key travels in the body.
/// The <c>endpoint</c> region picks the host unless the instance overrides the base URL, which then wins for every
/// request.
/// </summary>
internal sealed partial class AmplitudeDestination : IDestination
{
    private const string EuropeHost = "https://api.eu.amplitude.com";
    private const string NorthAmericaUserMapHost = "https://api.amplitude.com";

    private static readonly (string Key, string Label, string Path)[] DeviceFields =
    [
        ("app_version", "App version", "$.context.app.version"),
        ("platform", "Platform", "$.context.device.type"),
        ("os_name", "OS name", "$.context.os.name"),
        ("os_version", "OS version", "$.context.os.version"),
        ("device_brand", "Device brand", "$.context.device.brand"),
        ("device_manufacturer", "Device manufacturer", "$.context.device.manufacturer"),
        ("device_model", "Device model", "$.context.device.model"),
        ("carrier", "Carrier", "$.context.network.carrier"),
        ("country", "Country", "$.context.location.country"),
        ("region", "Region", "$.context.location.region"),
        ("city", "City", "$.context.location.city"),
        ("language", "Language", "$.context.locale"),
    ];

    private static readonly (string Key, string Label, string Path)[] EventOnlyFields =
    [
        ("price", "Price", "$.properties.price"),
        ("quantity", "Quantity", "$.properties.quantity"),
        ("revenue", "Revenue", "$.properties.revenue"),
        ("productId", "Product id", "$.properties.productId"),
        ("revenueType", "Revenue type", "$.properties.revenueType"),
        ("location_lat", "Latitude", "$.context.location.latitude"),
        ("location_lng", "Longitude", "$.context.location.longitude"),
        ("ip", "IP address", "$.context.ip"),
        ("idfa", "IDFA", "$.context.device.advertisingId"),
        ("adid", "Google advertising id", "$.context.device.advertisingId"),
        ("idfv", "IDFV", "$.context.device.id"),
    ];

    private static readonly string[] RevenueFields = ["price", "quantity", "revenue", "productId", "revenueType"];

    private static readonly ActionDefinition LogEvent = new(
        "logEventV2", "logEventV2", "Log Event", "Sends an event to Amplitude, many per request.", "type = \"track\"", EventFields(), MaxBatchSize: 2000);

    private static readonly ActionDefinition LogPurchase = new(
        "logPurchase", "logPurchase", "Log Purchase", "Sends an order with its revenue, and a Product Purchased event per product.", "type = \"track\"",
        [
            .. EventFields(),
            new("products", "Products", "The products of the order.", FieldType.Object, Multiple: true, Default: JsonNode.Parse("""
                {"@arrayPath":["$.properties.products",{"price":{"@path":"$.price"},"revenue":{"@path":"$.revenue"},"quantity":{"@path":"$.quantity"},"productId":{"@path":"$.productId"},"revenueType":{"@path":"$.revenueType"}}]}
                """)),
            new("trackRevenuePerProduct", "Revenue per product", "Puts the revenue on each product's event instead of the order's.", FieldType.Boolean, Default: false),
        ]);

    private static readonly ActionDefinition IdentifyUser = new(
        "identifyUser", "identifyUser", "Identify User", "Sets user properties in Amplitude without counting an event.", "type = \"identify\"",
        [
            .. Ids(),
            new("user_properties", "User properties", "Properties set on the user.", FieldType.Object, Default: Path("$.traits")),
            new("groups", "Groups", "Group types and values the user belongs to.", FieldType.Object),
            .. DeviceFields.Select(f => Simple(f.Key, f.Label, f.Path)),
            new("paying", "Paying", "Whether the user is paying.", FieldType.Boolean),
            new("start_version", "Start version", "The app version the user first used.", FieldType.String),
            .. Common(),
        ]);

    private static readonly ActionDefinition GroupIdentify = new(
        "groupIdentifyUser", "groupIdentifyUser", "Group Identify User", "Sets group properties and puts the user in the group.", "type = \"group\"",
        [
            .. Ids(),
            new("group_type", "Group type", "The kind of group (company, team).", FieldType.String, Required: true),
            new("group_value", "Group value", "The group's name or id.", FieldType.String, Required: true),
            new("group_properties", "Group properties", "Properties set on the group.", FieldType.Object, Default: Path("$.traits")),
            new("time", "Time", "When it happened; sent in Unix milliseconds.", FieldType.Datetime, Default: Path("$.timestamp")),
            new("insert_id", "Insert id", "Amplitude drops repeats of an insert id for 7 days.", FieldType.String, Default: Path("$.messageId")),
            MinIdLength(),
        ]);

    private static readonly ActionDefinition MapUser = new(
        "mapUser", "mapUser", "Map User", "Merges a previous user id into a global user id (alias).", "type = \"alias\"",
        [
            new("user_id", "User id", "The id to merge (the previous id).", FieldType.String, Required: true, Default: Path("$.previousId")),
            new("global_user_id", "Global user id", "The id it is merged into.", FieldType.String, Required: true, Default: Path("$.userId")),
            MinIdLength(),
        ]);

    public static DestinationDefinition Definition { get; } = new(
        "5f7dd6d21ad74f3842b1fc47",
        "actions-amplitude",
        "Amplitude (Actions)",
        "Product analytics. Junction sends events in batches, user and group properties, and aliases.",
        [DestinationCategories.Analytics],
        "https://amplitude.com",
        new SourceBadge("Am", "#1E61F0"),
        [
            new("apiKey", "API key", "The project's API key (Settings → Projects).", FieldType.Password, Required: true),
            new("secretKey", "Secret key", "The project's secret key; only needed for user deletions.", FieldType.Password),
            new("endpoint", "Region", "Where the project's data lives; ignored when the base URL is overridden.", FieldType.Select,
                Default: "north_america", Choices: [new("north_america", "North America"), new("europe", "Europe")]),
        ],
        [LogEvent, LogPurchase, IdentifyUser, GroupIdentify, MapUser],
        [
            new("Track Calls", LogEvent.Id, "type = \"track\" and event != \"Order Completed\""),
            new("Order Completed Calls", LogPurchase.Id, "type = \"track\" and event = \"Order Completed\""),
            new("Page Calls", LogEvent.Id, "type = \"page\"", Named(LogEvent)),
            new("Screen Calls", LogEvent.Id, "type = \"screen\"", Named(LogEvent)),
            new("Identify Calls", IdentifyUser.Id, "type = \"identify\""),
        ],
        "https://api2.amplitude.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("apiKey") is not { } apiKey)
        {
            return SendResult.Invalid("The apiKey setting is missing.");
        }

        return batch.Action.Id switch
        {
            "logEventV2" => await LogEventsAsync(context, apiKey, batch.Items, cancellationToken),
            "logPurchase" => await LogPurchaseAsync(context, apiKey, batch.Items[0].Payload, cancellationToken),
            "identifyUser" => await IdentifyAsync(context, apiKey, batch.Items[0].Payload, cancellationToken),
            "groupIdentifyUser" => await GroupIdentifyAsync(context, apiKey, batch.Items[0].Payload, cancellationToken),
            "mapUser" => await MapUserAsync(context, apiKey, batch.Items[0].Payload, cancellationToken),
            _ => SendResult.Invalid($"Amplitude has no action {batch.Action.Id}."),
        };
    }

    private static async Task<SendResult> IdentifyAsync(SendContext context, string apiKey, JsonObject payload, CancellationToken cancellationToken)
    {
        if (payload.ScalarText("user_id") is null && payload.ScalarText("device_id") is null)
        {
            return SendResult.Invalid("Either user_id or device_id is required.");
        }

        var identification = new JsonObject();
        CopyFields(payload, identification, DeviceFields.Select(f => f.Key)
            .Concat(["user_id", "device_id", "groups", "paying", "start_version", "insert_id"]).Select(k => (k, k)));
        AddCommon(payload, identification);
        return await context.PostFormAsync(Host(context, "/identify"),
            [("api_key", apiKey), ("identification", identification.ToJsonString(Wire)), ("options", MinIdOptions(payload)?.ToJsonString())], cancellationToken);
    }

    private static async Task<SendResult> GroupIdentifyAsync(SendContext context, string apiKey, JsonObject payload, CancellationToken cancellationToken)
    {
        if (payload.ScalarText("group_type") is not { } type || payload.ScalarText("group_value") is not { } value)
        {
            return SendResult.Invalid("group_type and group_value are required.");
        }

        var options = MinIdOptions(payload)?.ToJsonString();
        if (payload.ScalarText("user_id") is not null || payload.ScalarText("device_id") is not null)
        {
            var membership = new JsonObject();
            CopyFields(payload, membership, [("user_id", "user_id"), ("device_id", "device_id"), ("insert_id", "insert_id")]);
            membership["groups"] = new JsonObject { [type] = value };
            membership["user_properties"] = new JsonObject { [type] = value };
            if (payload.Instant("time") is { } time)
            {
                membership["time"] = time.ToUnixTimeMilliseconds();
            }

            membership["library"] = "segment";
            var identified = await context.PostFormAsync(Host(context, "/identify"),
                [("api_key", apiKey), ("identification", new JsonArray(membership).ToJsonString(Wire)), ("options", options)], cancellationToken);
            if (SendClassifier.Classify(identified.Status) != SendOutcome.Delivered)
            {
                return identified;
            }
        }

        var group = new JsonObject { ["group_type"] = type, ["group_value"] = value, ["group_properties"] = payload.NonEmptyObject("group_properties")?.DeepClone() ?? new JsonObject(), ["library"] = "segment" };
        return await context.PostFormAsync(Host(context, "/groupidentify"),
            [("api_key", apiKey), ("identification", new JsonArray(group).ToJsonString(Wire)), ("options", options)], cancellationToken);
    }

    private static async Task<SendResult> MapUserAsync(SendContext context, string apiKey, JsonObject payload, CancellationToken cancellationToken)
    {
        if (payload.ScalarText("user_id") is not { } userId || payload.ScalarText("global_user_id") is not { } globalId)
        {
            return SendResult.Invalid("user_id and global_user_id are required.");
        }

        var mapping = new JsonArray(new JsonObject { ["user_id"] = userId, ["global_user_id"] = globalId });
        return await context.PostFormAsync(Host(context, "/usermap"),
            [("api_key", apiKey), ("mapping", mapping.ToJsonString(Wire)), ("options", MinIdOptions(payload)?.ToJsonString())], cancellationToken);
    }

    /// <summary>
    /// The URL of a path: under an overridden base URL as is; otherwise on the region's host (the user-mapping API
    /// lives on <c>api.amplitude.com</c> in North America).
    /// </summary>
    private static Uri Host(SendContext context, string path)
    {
        if (!context.UsesDefaultHost(Definition))
        {
            return context.Url(path);
        }

        var europe = string.Equals(context.Setting("endpoint"), "europe", StringComparison.Ordinal);
        var host = europe ? EuropeHost : path == "/usermap" ? NorthAmericaUserMapHost : context.BaseUrl;
        return new Uri(host + path, UriKind.Absolute);
    }

    private static JsonObject? MinIdOptions(JsonObject payload) =>
        payload.Number("min_id_length") is { } length ? new JsonObject { ["min_id_length"] = (int)length } : null;

    private static JsonObject Named(ActionDefinition action)
    {
        var mapping = action.DefaultMapping();
        mapping["event_type"] = Template("Viewed {{name}}");
        return mapping;
    }

    private static ActionField Simple(string key, string label, string path) =>
        new(key, label, $"{label}, as Amplitude stores it.", key is "price" or "quantity" or "revenue" or "location_lat" or "location_lng" ? FieldType.Number : FieldType.String, Default: Path(path));

    private static ActionField MinIdLength() =>
        new("min_id_length", "Minimum id length", "Lowers Amplitude's 5-character minimum for user and device ids.", FieldType.Integer);

    private static ActionField[] EventFields() =>
    [
        .. Ids(),
        new("event_type", "Event type", "The name of the event.", FieldType.String, Required: true, Default: Path("$.event")),
        new("session_id", "Session id", "The session start time in Unix milliseconds.", FieldType.Datetime, Default: Path("$.integrations.Actions Amplitude.session_id")),
        new("time", "Time", "When the event happened; sent in Unix milliseconds.", FieldType.Datetime, Default: Path("$.timestamp")),
        new("event_properties", "Event properties", "Properties of the event.", FieldType.Object, Default: Path("$.properties")),
        new("user_properties", "User properties", "Properties set on the user.", FieldType.Object, Default: Path("$.traits")),
        new("groups", "Groups", "Group types and values the user belongs to.", FieldType.Object),
        .. DeviceFields.Concat(EventOnlyFields).Select(f => Simple(f.Key, f.Label, f.Path)),
        .. Common(),
    ];

    private static ActionField[] Ids() =>
    [
        new("user_id", "User id", "The user's id in your system.", FieldType.String, Default: Path("$.userId")),
        new("device_id", "Device id", "The device's id; the anonymous id when the event has no device.", FieldType.String, Default: PathOr("$.context.device.id", "$.anonymousId")),
    ];

    private static ActionField[] Common() =>
    [
        new("insert_id", "Insert id", "Amplitude drops repeats of an insert id for 7 days.", FieldType.String, Default: Path("$.messageId")),
        new("library", "Library", "The library that sent the event.", FieldType.String, Default: Path("$.context.library.name")),
        new("setOnce", "Set once", "User properties set only when they have no value yet.", FieldType.Object, Default: JsonNode.Parse("""
            {"initial_referrer":{"@path":"$.context.page.referrer"},"initial_utm_source":{"@path":"$.context.campaign.source"},"initial_utm_medium":{"@path":"$.context.campaign.medium"},"initial_utm_campaign":{"@path":"$.context.campaign.name"},"initial_utm_term":{"@path":"$.context.campaign.term"},"initial_utm_content":{"@path":"$.context.campaign.content"}}
            """)),
        new("setAlways", "Set always", "User properties overwritten by every event.", FieldType.Object, Default: JsonNode.Parse("""
            {"referrer":{"@path":"$.context.page.referrer"},"utm_source":{"@path":"$.context.campaign.source"},"utm_medium":{"@path":"$.context.campaign.medium"},"utm_campaign":{"@path":"$.context.campaign.name"},"utm_term":{"@path":"$.context.campaign.term"},"utm_content":{"@path":"$.context.campaign.content"}}
            """)),
        MinIdLength(),
    ];
}
