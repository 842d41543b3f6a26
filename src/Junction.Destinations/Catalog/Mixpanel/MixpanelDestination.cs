using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Mixpanel;

/// <summary>
/// Mixpanel (Actions): events in batches through <c>/import</c> (Basic auth with the API secret), identities and
/// aliases through <c>/track</c>, user profiles through <c>/engage</c> and group profiles through <c>/groups</c>
/// (the project token inside the record). The <c>apiRegion</c> setting picks the host unless the base URL is
/// overridden, which then wins.
/// </summary>
internal sealed class MixpanelDestination : IDestination
{
    /// <summary>Mapped field, Mixpanel property, default path: the context fields copied onto every event.</summary>
    private static readonly (string Key, string Property, string Path)[] ContextFields =
    [
        ("ip", "ip", "$.context.ip"),
        ("app_name", "$app_name", "$.context.app.name"),
        ("app_namespace", "$app_namespace", "$.context.app.namespace"),
        ("app_build", "$app_build_number", "$.context.app.build"),
        ("app_version", "$app_version_string", "$.context.app.version"),
        ("os_name", "$os", "$.context.os.name"),
        ("os_version", "$os_version", "$.context.os.version"),
        ("device_type", "$device_type", "$.context.device.type"),
        ("device_name", "$device_name", "$.context.device.name"),
        ("device_manufacturer", "$manufacturer", "$.context.device.manufacturer"),
        ("device_model", "$model", "$.context.device.model"),
        ("bluetooth", "$bluetooth_enabled", "$.context.network.bluetooth"),
        ("carrier", "$carrier", "$.context.network.carrier"),
        ("cellular", "$cellular_enabled", "$.context.network.cellular"),
        ("wifi", "$wifi_enabled", "$.context.network.wifi"),
        ("country", "mp_country_code", "$.context.location.country"),
        ("region", "$region", "$.context.location.region"),
        ("language", "$locale", "$.context.locale"),
        ("library_version", "$lib_version", "$.context.library.version"),
        ("url", "$current_url", "$.context.page.url"),
        ("referrer", "$referrer", "$.context.page.referrer"),
        ("screen_width", "$screen_width", "$.context.screen.width"),
        ("screen_height", "$screen_height", "$.context.screen.height"),
        ("screen_density", "$screen_density", "$.context.screen.density"),
        ("advertising_id", "advertising_id", "$.context.device.advertisingId"),
        ("ad_tracking_enabled", "ad_tracking_enabled", "$.context.device.adTrackingEnabled"),
        ("timezone", "timezone", "$.context.timezone"),
    ];

    private static readonly HashSet<string> Reserved = ["time", "id", "$anon_id", "distinct_id", "$group_id", "$insert_id", "$user_id"];

    private static readonly ActionDefinition TrackEvent = new(
        "trackEvent", "trackEvent", "Track Event", "Imports events into Mixpanel, many per request.", "type = \"track\"",
        [
            new("event", "Event name", "The name of the event.", FieldType.String, Required: true, Default: Path("$.event")),
            new("distinct_id", "Distinct id", "Who did it: the user id, else the anonymous id.", FieldType.String, Default: PathOr("$.userId", "$.anonymousId")),
            new("anonymous_id", "Anonymous id", "The device's anonymous id.", FieldType.String, Default: Path("$.anonymousId")),
            new("user_id", "User id", "The user's id in your system.", FieldType.String, Default: Path("$.userId")),
            new("group_id", "Group id", "The group the user belongs to.", FieldType.String, Default: Path("$.context.groupId")),
            new("insert_id", "Insert id", "Mixpanel drops repeats of an event with the same insert id.", FieldType.String, Default: Path("$.messageId")),
            new("time", "Time", "When it happened; sent in Unix milliseconds.", FieldType.Datetime, Default: Path("$.timestamp")),
            new("library_name", "Library", "The library that sent the event.", FieldType.String, Default: Path("$.context.library.name")),
            .. ContextFields.Select(f => new ActionField(f.Key, f.Key, $"Sent as {f.Property}.", FieldTypeOf(f.Key), Default: Path(f.Path))),
            new("event_properties", "Event properties", "Properties of the event.", FieldType.Object, Default: Path("$.properties")),
            new("utm_properties", "UTM properties", "The campaign that brought the user.", FieldType.Object, Default: JsonNode.Parse("""
                {"utm_source":{"@path":"$.context.campaign.source"},"utm_medium":{"@path":"$.context.campaign.medium"},"utm_campaign":{"@path":"$.context.campaign.name"},"utm_term":{"@path":"$.context.campaign.term"},"utm_content":{"@path":"$.context.campaign.content"}}
                """)),
        ],
        MaxBatchSize: 2000);

    private static readonly ActionDefinition IdentifyUser = new(
        "identifyUser", "identifyUser", "Identify User", "Links the anonymous id to the user and sets profile properties.", "type = \"identify\"",
        [
            new("user_id", "User id", "The user's id in your system.", FieldType.String, Default: Path("$.userId")),
            new("anonymous_id", "Anonymous id", "The anonymous id to link to the user.", FieldType.String, Default: Path("$.anonymousId")),
            new("ip", "IP address", "Used by Mixpanel to place the profile.", FieldType.String, Default: Path("$.context.ip")),
            new("traits", "Traits", "Profile properties to set.", FieldType.Object, Default: Path("$.traits")),
        ]);

    private static readonly ActionDefinition GroupIdentify = new(
        "groupIdentifyUser", "groupIdentifyUser", "Group Identify User", "Sets the properties of a group profile.", "type = \"group\"",
        [
            new("group_key", "Group key", "The group key set up in the Mixpanel project.", FieldType.String),
            new("group_id", "Group id", "The group's id.", FieldType.String, Required: true, Default: Path("$.groupId")),
            new("traits", "Traits", "Group properties to set.", FieldType.Object, Default: Path("$.traits")),
        ]);

    private static readonly ActionDefinition Alias = new(
        "alias", "alias", "Alias", "Makes a new id an alias of an existing distinct id.", null,
        [
            new("distinct_id", "Distinct id", "The existing id.", FieldType.String, Required: true, Default: Path("$.previousId")),
            new("alias", "Alias", "The new id.", FieldType.String, Required: true, Default: PathOr("$.userId", "$.anonymousId")),
        ]);

    public static DestinationDefinition Definition { get; } = new(
        "615c7438d93d9b61b1e9e192",
        "actions-mixpanel",
        "Mixpanel (Actions)",
        "Product analytics. Junction imports events in batches and keeps user and group profiles up to date.",
        [DestinationCategories.Analytics],
        "https://mixpanel.com",
        new SourceBadge("Mp", "#7856FF"),
        [
            new("projectToken", "Project token", "The project's token (Project Settings).", FieldType.Password, Required: true),
            new("apiSecret", "API secret", "The project's API secret, the /import credentials; the token is used without it.", FieldType.Password),
            new("apiRegion", "Region", "Where the project's data lives; ignored when the base URL is overridden.", FieldType.Select,
                Default: "US 🇺🇸", Choices: [new("US 🇺🇸", "United States"), new("EU 🇪🇺", "Europe"), new("IN 🇮🇳", "India")]),
            new("sourceName", "Source name", "Sent with every event as segment_source_name.", FieldType.String),
            new("strictMode", "Strict mode", "1: Mixpanel validates each event and reports the bad ones; 0: it skips checks.", FieldType.Select,
                Default: "1", Choices: [new("1", "On"), new("0", "Off")]),
        ],
        [TrackEvent, IdentifyUser, GroupIdentify, Alias],
        [
            new("Track Calls", TrackEvent.Id, "type = \"track\""),
            new("Page Calls", TrackEvent.Id, "type = \"page\"", Named(TrackEvent)),
            new("Screen Calls", TrackEvent.Id, "type = \"screen\"", Named(TrackEvent)),
            new("Identify Calls", IdentifyUser.Id, "type = \"identify\""),
            new("Group Calls", GroupIdentify.Id, "type = \"group\""),
        ],
        "https://api.mixpanel.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("projectToken") is not { } token)
        {
            return SendResult.Invalid("The projectToken setting is missing.");
        }

        var payload = batch.Items[0].Payload;
        switch (batch.Action.Id)
        {
            case "trackEvent":
                return await ImportAsync(context, token, batch.Items, cancellationToken);
            case "identifyUser":
                return await IdentifyAsync(context, token, payload, cancellationToken);
            case "groupIdentifyUser":
                if (payload.ScalarText("group_id") is not { } groupId)
                {
                    return SendResult.Invalid("group_id is required.");
                }

                var key = payload.ScalarText("group_key") ?? "$group_id";
                var traits = payload.NonEmptyObject("traits");
                var group = new JsonObject
                {
                    ["$token"] = token,
                    ["$group_key"] = key,
                    ["$group_id"] = traits?[key]?.DeepClone() ?? groupId,
                    ["$set"] = ProfileProperties(traits),
                };
                return await PostDataAsync(context, "/groups", group, cancellationToken);
            case "alias":
                if (payload.ScalarText("distinct_id") is not { } distinctId || payload.ScalarText("alias") is not { } alias)
                {
                    return SendResult.Invalid("distinct_id and alias are required.");
                }

                var properties = new JsonObject { ["distinct_id"] = distinctId, ["alias"] = alias, ["token"] = token };
                return await PostDataAsync(context, "/track", new JsonObject { ["event"] = "$create_alias", ["properties"] = properties }, cancellationToken);
            default:
                return SendResult.Invalid($"Mixpanel has no action {batch.Action.Id}.");
        }
    }

    /// <summary>
    /// Posts the events to <c>/import</c> as a JSON array. A 400 in strict mode lists the refused events by index under
    /// <c>failed_records</c> while the rest were imported, so each item gets its own status.
    /// </summary>
    private static async Task<SendResult> ImportAsync(SendContext context, string token, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        if (items.FirstOrDefault(i => i.Payload.ScalarText("event") is null) is not null)
        {
            return items.Count == 1 ? SendResult.Invalid("event is required.") : await ImportValidAsync(context, token, items, cancellationToken);
        }

        var events = new JsonArray([.. items.Select(i => ToEvent(context, i))]);
        var strict = context.Setting("strictMode") ?? "1";
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes((context.Setting("apiSecret") ?? token) + ":"));
        var result = await context.SendJsonAsync(HttpMethod.Post, Host(context, $"/import?strict={Uri.EscapeDataString(strict)}"), events,
            headers => headers.Authorization = new AuthenticationHeaderValue("Basic", credentials), cancellationToken);
        if (result.Status != 400 || ParseBody(result.Body)?["failed_records"] is not JsonArray { Count: > 0 } failed)
        {
            return result;
        }

        var statuses = Enumerable.Repeat(200, items.Count).ToArray();
        foreach (var record in failed)
        {
            if (record?["index"] is JsonValue index && index.TryGetValue<int>(out var i) && i >= 0 && i < items.Count)
            {
                statuses[i] = 400;
            }
        }

        return SendResult.PerItem(statuses, result.Body);
    }

    /// <summary>Refuses the events without a name and imports the others.</summary>
    private static async Task<SendResult> ImportValidAsync(SendContext context, string token, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var valid = items.Where(i => i.Payload.ScalarText("event") is not null).ToList();
        var sent = valid.Count == 0 ? [] : (await ImportAsync(context, token, valid, cancellationToken)).Statuses(valid.Count);
        var next = 0;
        return SendResult.PerItem([.. items.Select(i => i.Payload.ScalarText("event") is null ? SendResult.InvalidPayloadStatus : sent[next++])], "");
    }

    private static JsonObject ToEvent(SendContext context, DeliveryItem item)
    {
        var payload = item.Payload;
        var time = payload.Instant("time") ?? context.Time.GetUtcNow();
        var properties = new JsonObject
        {
            ["time"] = time.ToUnixTimeMilliseconds(),
            ["distinct_id"] = payload.ScalarText("distinct_id") ?? "",
            ["$insert_id"] = payload.ScalarText("insert_id") ?? item.MessageId,
        };
        if (payload.ScalarText("anonymous_id") is { } anonymousId)
        {
            properties["$device_id"] = anonymousId;
            properties["$anon_id"] = anonymousId;
        }

        CopyFields(payload, properties, [("user_id", "$user_id"), ("group_id", "$group_id")]);
        CopyFields(payload, properties, ContextFields.Select(f => (f.Key, f.Property)));
        properties["mp_lib"] = $"Segment Actions: {payload.ScalarText("library_name") ?? "unknown"}";
        properties["$source"] = "segment";
        if (context.Setting("sourceName") is { } sourceName)
        {
            properties["segment_source_name"] = sourceName;
        }

        foreach (var (key, value) in payload.NonEmptyObject("utm_properties") ?? [])
        {
            properties[key] = value?.DeepClone();
        }

        foreach (var (key, value) in payload.NonEmptyObject("event_properties") ?? [])
        {
            if (!Reserved.Contains(key))
            {
                properties[key] = value?.DeepClone();
            }
        }

        return new JsonObject { ["event"] = payload.ScalarText("event"), ["properties"] = properties };
    }

    /// <summary>Links the anonymous id to the user (<c>$identify</c>), then sets the profile's properties.</summary>
    private static async Task<SendResult> IdentifyAsync(SendContext context, string token, JsonObject payload, CancellationToken cancellationToken)
    {
        var userId = payload.ScalarText("user_id");
        var anonymousId = payload.ScalarText("anonymous_id");
        if ((userId ?? anonymousId) is not { } distinctId)
        {
            return SendResult.Invalid("user_id or anonymous_id is required.");
        }

        var result = SendResult.Ok();
        if (userId is not null && anonymousId is not null)
        {
            var properties = new JsonObject { ["$identified_id"] = userId, ["$anon_id"] = anonymousId, ["token"] = token };
            if (context.Setting("sourceName") is { } sourceName)
            {
                properties["segment_source_name"] = sourceName;
            }

            result = await PostDataAsync(context, "/track", new JsonObject { ["event"] = "$identify", ["properties"] = properties }, cancellationToken);
            if (SendClassifier.Classify(result.Status) != SendOutcome.Delivered)
            {
                return result;
            }
        }

        if (payload.NonEmptyObject("traits") is { } traits)
        {
            var profile = new JsonObject { ["$token"] = token, ["$distinct_id"] = distinctId, ["$set"] = ProfileProperties(traits) };
            CopyFields(payload, profile, [("ip", "$ip")]);
            result = await PostDataAsync(context, "/engage", profile, cancellationToken);
        }

        return result;
    }

    /// <summary>Traits with Mixpanel's reserved profile properties under their <c>$</c> names.</summary>
    private static JsonObject ProfileProperties(JsonObject? traits)
    {
        var set = new JsonObject();
        foreach (var (key, value) in traits ?? [])
        {
            var name = key switch
            {
                "created" or "createdAt" or "created_at" => "$created",
                "email" => "$email",
                "firstName" => "$first_name",
                "lastName" => "$last_name",
                "name" => "$name",
                "username" => "$username",
                "phone" => "$phone",
                _ => key,
            };
            set[name] = value?.DeepClone();
        }

        if (!set.ContainsKey("$name") && set["$first_name"] is { } first && set["$last_name"] is { } last)
        {
            set["$name"] = $"{first} {last}";
        }

        return set;
    }

    /// <summary>
    /// Posts one record as the form field <c>data</c>. These endpoints answer 200 with <c>0</c> when they refuse the
    /// record; that becomes a 400 so it is not counted as delivered.
    /// </summary>
    private static async Task<SendResult> PostDataAsync(SendContext context, string path, JsonObject record, CancellationToken cancellationToken)
    {
        var result = await context.PostFormAsync(Host(context, path), [("data", record.ToJsonString(Wire))], cancellationToken);
        return result.Status == 200 && result.Body.Trim() == "0" ? result with { Status = 400 } : result;
    }

    private static Uri Host(SendContext context, string path)
    {
        var host = !context.UsesDefaultHost(Definition) ? context.BaseUrl : context.Setting("apiRegion") switch
        {
            "EU 🇪🇺" => "https://api-eu.mixpanel.com",
            "IN 🇮🇳" => "https://api-in.mixpanel.com",
            _ => context.BaseUrl,
        };
        return new Uri(host + path, UriKind.Absolute);
    }

    private static FieldType FieldTypeOf(string key) => key switch
    {
        "bluetooth" or "cellular" or "wifi" or "ad_tracking_enabled" => FieldType.Boolean,
        "screen_width" or "screen_height" or "screen_density" => FieldType.Number,
        _ => FieldType.String,
    };

    private static JsonObject Named(ActionDefinition action)
    {
        var mapping = action.DefaultMapping();
        mapping["event"] = Template("Viewed {{name}}");
        return mapping;
    }
}
