using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.GoogleAnalytics;

/// <summary>
/// Google Analytics 4 through the Measurement Protocol: one event per request to <c>/mp/collect</c>, authenticated by
/// the <c>api_secret</c> query parameter. GA4 answers 2xx even to events it drops, so only transport errors, 429 and
/// 5xx come back as failures; the checks GA4 would apply silently (scalar parameters, currency with a value) are made
/// here and refuse the event instead.
/// </summary>
internal sealed partial class GoogleAnalyticsDestination : IDestination
{
    /// <summary>Fields that shape the request rather than the event's parameters.</summary>
    private static readonly HashSet<string> RequestFields = ["client_id", "app_instance_id", "user_id", "timestamp_micros", "user_properties", "params", "name", "lowercase"];

    /// <summary>GA4's event name for each action, filled as the actions are defined.</summary>
    private static readonly Dictionary<string, string> EventNames = new(StringComparer.Ordinal);

    private static readonly ActionField[] Ecommerce =
    [
        new("currency", "Currency", "ISO-4217 code of the value; required with a value.", FieldType.String, Default: Path("$.properties.currency")),
        new("value", "Value", "The monetary value of the event.", FieldType.Number, Default: Path("$.properties.value")),
    ];

    private static readonly ActionField[] Order =
    [
        new("transaction_id", "Transaction id", "The order's id; GA4 counts one purchase per id.", FieldType.String, Default: Path("$.properties.order_id")),
        new("affiliation", "Affiliation", "The store or affiliate.", FieldType.String, Default: Path("$.properties.affiliation")),
        new("coupon", "Coupon", "The coupon used.", FieldType.String, Default: Path("$.properties.coupon")),
        new("shipping", "Shipping", "Shipping cost.", FieldType.Number, Default: Path("$.properties.shipping")),
        new("tax", "Tax", "Tax amount.", FieldType.Number, Default: Path("$.properties.tax")),
    ];

    public static DestinationDefinition Definition { get; } = new(
        "60ad61f9ff47a16b8fb7b5d9",
        "actions-google-analytics-4",
        "Google Analytics 4 Cloud",
        "Web and app analytics from Google. Junction sends page views, e-commerce and custom events through the Measurement Protocol.",
        [DestinationCategories.Analytics],
        "https://marketingplatform.google.com/about/analytics/",
        new SourceBadge("GA", "#E37400"),
        [
            new("apiSecret", "API secret", "A Measurement Protocol secret of the data stream (Admin → Data streams).", FieldType.Password, Required: true),
            new("measurementId", "Measurement id", "The web stream's id (G-XXXXXXX); set this or the Firebase app id.", FieldType.String),
            new("firebaseAppId", "Firebase app id", "The app stream's Firebase app id, used when no measurement id is set.", FieldType.String),
        ],
        [
            Custom(),
            Event("pageView", "Page View", "page_view", "type = \"page\"",
            [
                new("page_location", "Page URL", "The page's full URL.", FieldType.String, Default: Path("$.context.page.url")),
                new("page_referrer", "Referrer", "The previous page's URL.", FieldType.String, Default: Path("$.context.page.referrer")),
                new("page_title", "Page title", "The page's title.", FieldType.String, Default: Path("$.context.page.title")),
            ]),
            Event("purchase", "Purchase", "purchase", Track("Order Completed"), [.. Ecommerce, .. Order, Items("$.properties.products")], value: "$.properties.total"),
            Event("refund", "Refund", "refund", Track("Order Refunded"), [.. Ecommerce, .. Order, Items("$.properties.products")], value: "$.properties.total"),
            Event("addToCart", "Add to Cart", "add_to_cart", Track("Product Added"), [.. Ecommerce, Items("$.properties")]),
            Event("removeFromCart", "Remove from Cart", "remove_from_cart", Track("Product Removed"), [.. Ecommerce, Items("$.properties")]),
            Event("viewItem", "View Item", "view_item", Track("Product Viewed"), [.. Ecommerce, Items("$.properties")]),
            Event("viewCart", "View Cart", "view_cart", Track("Cart Viewed"), [.. Ecommerce, Items("$.properties.products")]),
            Event("beginCheckout", "Begin Checkout", "begin_checkout", Track("Checkout Started"), [.. Ecommerce, Order[2], Items("$.properties.products")]),
            Event("search", "Search", "search", Track("Products Searched"),
                [new("search_term", "Search term", "What was searched for.", FieldType.String, Default: Path("$.properties.query"))]),
            Event("signUp", "Sign Up", "sign_up", Track("Signed Up"), [Method()]),
            Event("login", "Login", "login", Track("Signed In"), [Method()]),
        ],
        [],
        "https://www.google-analytics.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("apiSecret") is not { } secret)
        {
            return SendResult.Invalid("The apiSecret setting is missing.");
        }

        var measurementId = context.Setting("measurementId");
        var (stream, streamId, idField) = measurementId is not null
            ? ("measurement_id", measurementId, "client_id")
            : ("firebase_app_id", context.Setting("firebaseAppId"), "app_instance_id");
        if (streamId is null)
        {
            return SendResult.Invalid("Set the measurementId (web) or firebaseAppId (app) setting.");
        }

        var payload = batch.Items[0].Payload;
        var (body, problem) = Build(batch.Action, payload, idField);
        if (problem is not null)
        {
            return SendResult.Invalid(problem);
        }

        var url = context.Url($"/mp/collect?{stream}={Uri.EscapeDataString(streamId)}&api_secret={Uri.EscapeDataString(secret)}");
        return await context.SendJsonAsync(HttpMethod.Post, url, body, null, cancellationToken);
    }

    private static (JsonObject Body, string? Problem) Build(ActionDefinition action, JsonObject payload, string idField)
    {
        var body = new JsonObject();
        if (payload.ScalarText(idField) is not { } id)
        {
            return (body, $"{idField} is required.");
        }

        body[idField] = id;
        CopyFields(payload, body, [("user_id", "user_id")]);
        if (payload.Instant("timestamp_micros") is { } time)
        {
            body["timestamp_micros"] = time.ToUnixTimeMilliseconds() * 1000;
        }

        var name = action.Id == "customEvent" ? EventName(payload) : EventNames[action.Id];
        if (string.IsNullOrEmpty(name))
        {
            return (body, "name is required.");
        }

        var parameters = new JsonObject();
        foreach (var (key, value) in payload.Where(p => !RequestFields.Contains(p.Key)).Concat(payload.NonEmptyObject("params") ?? []))
        {
            if (value is JsonObject or JsonArray && key != "items")
            {
                return (body, $"The parameter {key} must be a string, number or boolean.");
            }

            parameters[key] = value?.DeepClone();
        }

        if (parameters["value"] is not null && parameters.ScalarText("currency") is null)
        {
            return (body, "currency is required when value is set.");
        }

        if (parameters.ScalarText("currency") is { } currency && !CurrencyCode().IsMatch(currency))
        {
            return (body, $"{currency} is not an ISO-4217 currency code.");
        }

        body["events"] = new JsonArray(new JsonObject { ["name"] = name, ["params"] = parameters });
        if (payload.NonEmptyObject("user_properties") is { } properties)
        {
            body["user_properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["value"] = p.Value?.DeepClone() })));
        }

        return (body, null);
    }

    /// <summary>A custom event's name as GA4 accepts it: trimmed, spaces as underscores, lower-cased if asked.</summary>
    private static string? EventName(JsonObject payload)
    {
        var name = payload.ScalarText("name")?.Trim();
        name = name is null ? null : Whitespace().Replace(name, "_");
        return payload.Flag("lowercase") ? name?.ToLowerInvariant() : name;
    }

    private static string Track(string eventName) => $"type = \"track\" and event = \"{eventName}\"";

    private static ActionDefinition Event(string id, string label, string gaName, string trigger, ActionField[] fields, string value = "$.properties.value")
    {
        EventNames[id] = gaName;
        var own = fields.Select(f => f.Key == "value" ? f with { Default = Path(value) } : f);
        return new(id, id, label, $"Sends GA4's {gaName} event.", trigger, [.. Common(), .. own, Params()]);
    }

    private static ActionDefinition Custom() => new(
        "customEvent", "customEvent", "Custom Event", "Sends an event with a name of your choice.", "type = \"track\"",
        [
            .. Common(),
            new("name", "Event name", "Letters, digits and underscores, starting with a letter; spaces become underscores.", FieldType.String, Required: true, Default: Path("$.event")),
            new("lowercase", "Lower-case the name", "Sends the event name in lower case.", FieldType.Boolean, Default: false),
            Params(),
        ]);

    private static ActionField[] Common() =>
    [
        new("client_id", "Client id", "The web client's id (required for web streams).", FieldType.String, Default: PathOr("$.userId", "$.anonymousId")),
        new("app_instance_id", "App instance id", "The Firebase app instance (required for app streams).", FieldType.String),
        new("user_id", "User id", "The user's id in your system.", FieldType.String, Default: Path("$.userId")),
        new("timestamp_micros", "Timestamp", "When it happened (at most 72 hours ago); sent in microseconds.", FieldType.Datetime, Default: Path("$.timestamp")),
        new("engagement_time_msec", "Engagement time", "Milliseconds of engagement; GA4 needs a positive value to count active users.", FieldType.Number, Default: 1),
        new("user_properties", "User properties", "Properties of the user (at most 25).", FieldType.Object),
    ];

    private static ActionField Params() =>
        new("params", "Event parameters", "Further parameters of the event; values must be strings, numbers or booleans.", FieldType.Object);

    private static ActionField Method() =>
        new("method", "Method", "How the user signed up or in.", FieldType.String, Default: Path("$.properties.method"));

    private static ActionField Items(string path) => new("items", "Products", "The products of the event.", FieldType.Object, Multiple: true, Default: JsonNode.Parse($$$"""
        {"@arrayPath":["{{{path}}}",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"index":{"@path":"$.position"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}
        """));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}
