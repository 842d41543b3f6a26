using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Meta;

/// <summary>
/// Meta (Facebook) Conversions API: server events for a pixel or dataset, many per request to
/// <c>/v24.0/{pixelId}/events</c> with a bearer token. Personal data in <c>user_data</c> is normalised and SHA-256
/// hashed here, as Meta requires; ids, IP, user agent and click ids go as they are. Meta refuses a whole request when
/// one event in it is bad, so a refused batch is resent event by event to find it.
/// </summary>
internal sealed partial class MetaDestination : IDestination
{
    private const string ApiVersion = "v24.0";

    /// <summary>The fields that make up the event itself; every other mapped field goes into <c>custom_data</c>.</summary>
    private static readonly HashSet<string> EventFields = ["event_name", "event_time", "action_source", "event_source_url", "event_id", "user_data", "custom_data", "test_event_code"];

    /// <summary>US state names, compacted as <see cref="Compact"/> does, to their two-letter codes.</summary>
    private static readonly Dictionary<string, string> States = "alabama:al,alaska:ak,arizona:az,arkansas:ar,california:ca,colorado:co,connecticut:ct,delaware:de,districtofcolumbia:dc,florida:fl,georgia:ga,hawaii:hi,idaho:id,illinois:il,indiana:in,iowa:ia,kansas:ks,kentucky:ky,louisiana:la,maine:me,maryland:md,massachusetts:ma,michigan:mi,minnesota:mn,mississippi:ms,missouri:mo,montana:mt,nebraska:ne,nevada:nv,newhampshire:nh,newjersey:nj,newmexico:nm,newyork:ny,northcarolina:nc,northdakota:nd,ohio:oh,oklahoma:ok,oregon:or,pennsylvania:pa,rhodeisland:ri,southcarolina:sc,southdakota:sd,tennessee:tn,texas:tx,utah:ut,vermont:vt,virginia:va,washington:wa,westvirginia:wv,wisconsin:wi,wyoming:wy"
        .Split(',').Select(p => p.Split(':')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>Mapped <c>user_data</c> key, Meta's key, how it is normalised before hashing (null: sent as is).</summary>
    private static readonly (string Key, string Meta, Func<string, string>? Normalise)[] UserData =
    [
        ("externalId", "external_id", s => s.Trim()),
        ("email", "em", s => Whitespace().Replace(s, "").ToLowerInvariant()),
        ("phone", "ph", s => NonDigit().Replace(s, "")),
        ("gender", "ge", s => s.Trim().ToLowerInvariant() switch { "male" or "m" => "m", "female" or "f" => "f", var g => g }),
        ("dateOfBirth", "db", BirthDate),
        ("firstName", "fn", Compact),
        ("lastName", "ln", Compact),
        ("city", "ct", Compact),
        ("state", "st", s => States.GetValueOrDefault(Compact(s), Compact(s))),
        ("zip", "zp", Compact),
        ("country", "country", Compact),
        ("client_ip_address", "client_ip_address", null),
        ("client_user_agent", "client_user_agent", null),
        ("fbc", "fbc", null),
        ("fbp", "fbp", null),
        ("subscriptionID", "subscription_id", null),
        ("leadID", "lead_id", null),
        ("anonId", "anon_id", null),
        ("madId", "madid", null),
        ("fbLoginID", "fb_login_id", null),
        ("partner_id", "partner_id", null),
        ("partner_name", "partner_name", null),
    ];

    private static readonly Dictionary<string, string> EventNames = new(StringComparer.Ordinal)
    {
        ["purchase"] = "Purchase",
        ["initiateCheckout"] = "InitiateCheckout",
        ["addToCart"] = "AddToCart",
        ["viewContent"] = "ViewContent",
        ["search"] = "Search",
        ["pageView"] = "PageView",
    };

    public static DestinationDefinition Definition { get; } = new(
        "61806e472cd47ea1104885fc",
        "actions-facebook-conversions-api",
        "Facebook Conversions API (Actions)",
        "Meta's server-side conversion tracking. Junction sends purchases, checkouts, page views and custom events with hashed customer details, so ads can be measured and optimised without the browser pixel.",
        [DestinationCategories.Advertising],
        "https://www.facebook.com/business/help/2041148702652965",
        new SourceBadge("Me", "#0866FF"),
        [
            new("pixelId", "Pixel id", "The pixel or dataset id (Events Manager).", FieldType.String, Required: true),
            new("accessToken", "Access token", "A system user's token with access to the pixel (Events Manager → Settings → Conversions API).", FieldType.Password, Required: true),
            new("testEventCode", "Test event code", "Sends every event as a test event with this code (Events Manager → Test events).", FieldType.String),
        ],
        [
            Action("purchase", "Purchase", "type = \"track\" and event = \"Order Completed\"", true, "$.properties.revenue", Products()),
            Action("initiateCheckout", "Initiate Checkout", "type = \"track\" and event = \"Checkout Started\"", false, "$.properties.revenue", Products()),
            Action("addToCart", "Add to Cart", "type = \"track\" and event = \"Product Added\"", false, "$.properties.price", Product()),
            Action("viewContent", "View Content", "type = \"track\" and event = \"Product Viewed\"", false, "$.properties.price", Product()),
            Action("search", "Search", "type = \"track\" and event = \"Products Searched\"", false, null,
                [new("search_string", "Search string", "What was searched for.", FieldType.String, Default: Path("$.properties.query"))]),
            Action("pageView", "Page View", "type = \"page\"", false, null, []),
            Action("custom", "Custom Event", null, false, null,
            [
                new("event_name", "Event name", "A standard event name or one of your own.", FieldType.String, Required: true, Default: Path("$.event")),
                new("custom_data", "Custom data", "Properties of the event.", FieldType.Object, Default: Path("$.properties")),
            ]),
        ],
        [],
        "https://graph.facebook.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("pixelId") is not { } pixelId || context.Setting("accessToken") is not { } token)
        {
            return SendResult.Invalid("The pixelId and accessToken settings are required.");
        }

        var events = new List<(int Index, JsonObject Event)>();
        var statuses = Enumerable.Repeat(SendResult.InvalidPayloadStatus, batch.Items.Count).ToArray();
        string? problem = null;
        for (var i = 0; i < batch.Items.Count; i++)
        {
            var (data, why) = ToEvent(batch.Action.Id, batch.Items[i].Payload);
            problem ??= why;
            if (data is not null)
            {
                events.Add((i, data));
            }
        }

        if (events.Count == 0)
        {
            return SendResult.Invalid(problem!);
        }

        var testCode = batch.Items[0].Payload.ScalarText("test_event_code") ?? context.Setting("testEventCode");
        var url = context.Url($"/{ApiVersion}/{Uri.EscapeDataString(pixelId)}/events");
        var result = await PostAsync(context, url, token, testCode, events.Select(e => e.Event), cancellationToken);
        if (result.Status == 400 && events.Count > 1)
        {
            foreach (var (index, data) in events)
            {
                var alone = await PostAsync(context, url, token, testCode, [data], cancellationToken);
                statuses[index] = alone.Status;
                result = alone;
            }

            return SendResult.PerItem(statuses, result.Body);
        }

        if (events.Count == batch.Items.Count)
        {
            return result;
        }

        foreach (var (index, _) in events)
        {
            statuses[index] = result.Status;
        }

        return SendResult.PerItem(statuses, result.Body, result.RetryAfter);
    }

    /// <summary>
    /// Posts events and reads Meta's error codes: it answers 400 for throttling (codes 4, 17, 32, 613) and for
    /// temporary faults (1, 2), which become 429 and 503 so they are retried.
    /// </summary>
    private static async Task<SendResult> PostAsync(SendContext context, Uri url, string token, string? testCode, IEnumerable<JsonObject> events, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["data"] = new JsonArray([.. events.Select(e => e.DeepClone())]) };
        if (testCode is not null)
        {
            body["test_event_code"] = testCode;
        }

        var result = await context.SendJsonAsync(HttpMethod.Post, url, body,
            headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", token), cancellationToken);
        if (result.Status != 400 || ParseBody(result.Body)?["error"]?["code"] is not JsonValue code || !code.TryGetValue<int>(out var number))
        {
            return result;
        }

        return number switch
        {
            4 or 17 or 32 or 613 => result with { Status = 429 },
            1 or 2 => result with { Status = 503 },
            _ => result,
        };
    }

    private static (JsonObject? Event, string? Problem) ToEvent(string actionId, JsonObject payload)
    {
        var name = actionId == "custom" ? payload.ScalarText("event_name") : EventNames[actionId];
        var source = payload.ScalarText("action_source");
        var time = payload.Instant("event_time");
        var userData = payload.NonEmptyObject("user_data");
        var problem = name is null ? "event_name is required."
            : source is null ? "action_source is required."
            : time is null ? "event_time is required."
            : userData is null ? "user_data is required."
            : actionId != "custom" && source == "website" && userData.ScalarText("client_user_agent") is null ? "client_user_agent is required for website events."
            : null;
        if (problem is not null)
        {
            return (null, problem);
        }

        var custom = new JsonObject();
        foreach (var (key, value) in payload.Where(p => !EventFields.Contains(p.Key)).Concat(payload.NonEmptyObject("custom_data") ?? []))
        {
            custom[key] = value?.DeepClone();
        }

        if (actionId == "purchase" && (custom.ScalarText("currency") is null || custom["value"] is null))
        {
            return (null, "currency and value are required for a purchase.");
        }

        if (custom.ScalarText("currency") is { } currency && !CurrencyCode().IsMatch(currency))
        {
            return (null, $"{currency} is not an ISO-4217 currency code.");
        }

        var data = new JsonObject { ["event_name"] = name, ["event_time"] = time!.Value.ToUnixTimeSeconds(), ["action_source"] = source };
        CopyFields(payload, data, [("event_source_url", "event_source_url"), ("event_id", "event_id")]);
        data["user_data"] = HashUserData(userData!);
        if (custom.Count > 0)
        {
            data["custom_data"] = custom;
        }

        return (data, null);
    }

    private static JsonObject HashUserData(JsonObject userData)
    {
        var result = new JsonObject();
        foreach (var (key, meta, normalise) in UserData)
        {
            if (key == "externalId")
            {
                IEnumerable<string?> ids = userData[key] switch
                {
                    JsonArray list => list.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null),
                    _ => [userData.ScalarText(key)],
                };
                var hashed = new JsonArray([.. ids.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => (JsonNode)Hash(normalise!(s!)))]);
                if (hashed.Count > 0)
                {
                    result[meta] = hashed;
                }
            }
            else if (userData.ScalarText(key) is { } value)
            {
                result[meta] = normalise is null ? value : Hash(normalise(value));
            }
        }

        return result;
    }

    /// <summary>SHA-256 as lower-case hex; a value that already is a SHA-256 digest is passed through.</summary>
    private static string Hash(string value) =>
        Sha256Hex().IsMatch(value) ? value.ToLowerInvariant() : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Compact(string value) => Whitespace().Replace(value, "").ToLowerInvariant();

    /// <summary>Dates of birth as Meta wants them, YYYYMMDD.</summary>
    private static string BirthDate(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            : NonDigit().Replace(value, "");

    private static ActionDefinition Action(string id, string name, string? trigger, bool valueRequired, string? valuePath, ActionField[] fields) =>
        new(id, id, name, $"Sends the {(id == "custom" ? "event of your choice" : EventNames[id] + " event")} to Meta.", trigger,
        [
            new("action_source", "Action source", "Where the conversion happened.", FieldType.Select, Required: true,
                Choices: [.. "email website app phone_call chat physical_store system_generated other".Split(' ').Select(c => new Choice(c, c))]),
            new("event_time", "Event time", "When it happened; sent in Unix seconds. Meta refuses events older than 7 days.", FieldType.Datetime, Required: true, Default: Path("$.timestamp")),
            new("event_id", "Event id", "With the event name, lets Meta drop a duplicate of a pixel or earlier server event.", FieldType.String, Default: Path("$.messageId")),
            new("event_source_url", "Event source URL", "The page where it happened.", FieldType.String, Default: Path("$.context.page.url")),
            new("user_data", "User data", "Who did it; personal details are normalised and hashed before sending.", FieldType.Object, Required: true, Default: JsonNode.Parse("""
                {"externalId":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"email":{"@path":"$.context.traits.email"},"phone":{"@path":"$.context.traits.phone"},"dateOfBirth":{"@path":"$.context.traits.birthday"},"firstName":{"@path":"$.context.traits.firstName"},"lastName":{"@path":"$.context.traits.lastName"},"city":{"@path":"$.context.traits.address.city"},"state":{"@path":"$.context.traits.address.state"},"zip":{"@path":"$.context.traits.address.postalCode"},"client_ip_address":{"@path":"$.context.ip"},"client_user_agent":{"@path":"$.context.userAgent"},"fbc":{"@path":"$.properties.fbc"},"fbp":{"@path":"$.properties.fbp"}}
                """)),
            .. valuePath is null ? (ActionField[])[] :
            [
                new("currency", "Currency", "ISO-4217 code of the value.", FieldType.String, valueRequired, Path("$.properties.currency")),
                new("value", "Value", "The monetary value.", FieldType.Number, valueRequired, Path(valuePath)),
            ],
            .. fields,
            new("test_event_code", "Test event code", "Overrides the destination's test event code for these events.", FieldType.String),
        ],
        MaxBatchSize: 1000,
        BatchKeys: ["test_event_code"]);

    private static ActionField[] Products() =>
    [
        new("content_ids", "Content ids", "The product ids.", FieldType.String, Multiple: true, Default: JsonNode.Parse("""{"@arrayPath":["$.properties.products",{"@path":"$.product_id"}]}""")),
        new("contents", "Contents", "The products with quantity and price.", FieldType.Object, Multiple: true, Default: JsonNode.Parse("""
            {"@arrayPath":["$.properties.products",{"id":{"@path":"$.product_id"},"quantity":{"@path":"$.quantity"},"item_price":{"@path":"$.price"}}]}
            """)),
        new("num_items", "Number of items", "How many items.", FieldType.Integer),
        new("content_type", "Content type", "product or product_group.", FieldType.String, Default: "product"),
    ];

    private static ActionField[] Product() =>
    [
        new("content_ids", "Content ids", "The product id.", FieldType.String, Multiple: true, Default: Path("$.properties.product_id")),
        new("content_name", "Content name", "The product's name.", FieldType.String, Default: Path("$.properties.name")),
        new("contents", "Contents", "The product with quantity and price.", FieldType.Object, Multiple: true, Default: JsonNode.Parse("""
            {"@arrayPath":["$.properties",{"id":{"@path":"$.product_id"},"quantity":{"@path":"$.quantity"},"item_price":{"@path":"$.price"}}]}
            """)),
        new("content_type", "Content type", "product or product_group.", FieldType.String, Default: "product"),
    ];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\D+")]
    private static partial Regex NonDigit();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}
