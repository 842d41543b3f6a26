using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;

namespace Junction.Destinations.Catalog.PostHog;

/// <summary>
/// PostHog (Actions): events go to the batch endpoint (one request per batch, whatever its size), identifies to the
/// capture endpoint one by one; the project API key travels in the body. The host is the instance's base URL when it
/// overrides the default, otherwise the <c>endpoint</c> setting (US or EU cloud, or a self-hosted address).
/// </summary>
internal sealed class PostHogDestination : IDestination
{
    public const string EventsPath = "/batch/";
    public const string CapturePath = "/i/v0/e/";

    private static readonly ActionDefinition EventAction =
        new("event", "event", "Track Event", "Captures an event, a page view ($pageview) or a screen view ($screen).", "type = \"track\"",
            Fields:
            [
                new("event_type", "Event type", "track for events, page for page views, screen for mobile screens.", FieldType.Select, Required: true,
                    Default: "track", Choices: [new("track", "track"), new("page", "page"), new("screen", "screen")]),
                new("event_name", "Event name", "The event's name (page and screen views are renamed $pageview and $screen).", FieldType.String,
                    Required: true, Default: Path("$.event")),
                new("distinct_id", "Distinct ID", "The person's id in PostHog.", FieldType.String, Required: true, Default: Path("$.userId")),
                new("properties", "Properties", "The event's properties.", FieldType.Object, Default: Path("$.properties")),
                new("current_url", "Current URL", "The page's URL, for page views.", FieldType.String, Default: Path("$.context.page.url")),
                new("screen_name", "Screen name", "The screen's name, for screen views.", FieldType.String, Default: Path("$.name")),
                new("anonymous_event_capture", "Anonymous event", "Capture the event without creating or updating a person profile.",
                    FieldType.Boolean, Default: false),
                new("timestamp", "Timestamp", "When the event happened.", FieldType.Datetime, Default: Path("$.receivedAt")),
                new("ip_address", "IP address", "The person's IP address.", FieldType.String, Default: Path("$.context.ip")),
                new(ActionDefinition.EnableBatchingField, "Batch events", "Send events in batches.", FieldType.Boolean, Default: false),
                new(ActionDefinition.BatchSizeField, "Batch size", "The most events one request carries.", FieldType.Integer, Default: 100),
            ],
            MaxBatchSize: 100);

    private static readonly ActionDefinition IdentifyAction =
        new("identify", "identify", "Identify", "Sets person properties ($set) with an $identify event.", "type = \"identify\"",
            Fields:
            [
                new("distinct_id", "Distinct ID", "The person's id in PostHog.", FieldType.String, Required: true, Default: Path("$.userId")),
                new("properties", "Properties", "The person properties to set.", FieldType.Object, Required: true, Default: Path("$.traits")),
                new("timestamp", "Timestamp", "When the person was identified.", FieldType.Datetime, Default: Path("$.timestamp")),
                new("ip_address", "IP address", "The person's IP address.", FieldType.String, Default: Path("$.context.ip")),
            ]);

    public static DestinationDefinition Definition { get; } = new(
        Id: "68516bd8ca73bd53f38a0104",
        Slug: "actions-posthog",
        Name: "PostHog (Actions)",
        Description: "Sends events, page and screen views and person properties to PostHog's capture API for product analytics.",
        Categories: [DestinationCategories.Analytics],
        Website: "https://posthog.com",
        Badge: new SourceBadge("PH", "#F54E00"),
        Settings:
        [
            new("api_key", "Project API key", "In PostHog: Project settings → Project API key (phc_…).", FieldType.Password, Required: true),
            new("project_id", "Project ID", "In PostHog: Project settings → Project ID. Kept for reference; sending does not need it.", FieldType.String),
            new("endpoint", "Host", "https://us.i.posthog.com (US cloud), https://eu.i.posthog.com (EU cloud) or your own instance's address.",
                FieldType.String, Default: "https://us.i.posthog.com"),
            new("historical_migration", "Historical migration", "Mark event batches as a historical import, so PostHog's spike detection leaves them alone.",
                FieldType.Boolean, Default: false),
            new("geoip_disable", "Disable GeoIP", "Ask PostHog not to add location properties from the IP address.", FieldType.Boolean, Default: false),
        ],
        Actions:
        [
            EventAction,
            IdentifyAction,
        ],
        Presets:
        [
            new("Track Event", "event", "type = \"track\""),
            new("Page View", "event", "type = \"page\"", Mapping("page", "$pageview")),
            new("Screen View", "event", "type = \"screen\"", Mapping("screen", "$screenview")),
            new("Identify", "identify", "type = \"identify\""),
        ],
        DefaultBaseUrl: "https://us.i.posthog.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("api_key") is not { } apiKey)
        {
            return SendResult.Invalid("api_key is required: the project API key.");
        }

        var host = string.Equals(context.BaseUrl, Definition.DefaultBaseUrl, StringComparison.Ordinal) && context.Setting("endpoint") is { } endpoint
            ? endpoint.TrimEnd('/')
            : context.BaseUrl;
        if (!Uri.TryCreate(host + EventsPath, UriKind.Absolute, out _))
        {
            return SendResult.Invalid($"The PostHog host {host} is not an absolute URL.");
        }

        var geoipDisable = context.Settings.Flag("geoip_disable");
        var events = batch.Items.Select(item => ToEvent(batch.Action.Id, item, geoipDisable)).ToList();
        if (events.All(e => e is null))
        {
            return SendResult.Invalid("distinct_id is required (and properties, for an identify).");
        }

        JsonObject body;
        string path;
        if (batch.Action.Id == "identify")
        {
            (body, path) = (events[0]!, CapturePath);
            body["api_key"] = apiKey;
        }
        else
        {
            var historical = context.Settings.Flag("historical_migration");
            body = new JsonObject { ["api_key"] = apiKey, ["historical_migration"] = historical, ["batch"] = new JsonArray([.. events.OfType<JsonObject>()]) };
            path = EventsPath;
        }

        var result = await context.SendJsonAsync(HttpMethod.Post, new Uri(host + path, UriKind.Absolute), body, null, cancellationToken);

        // Events that could not be sent are refused one by one; the others share PostHog's answer.
        return events.Contains(null)
            ? result with { ItemStatuses = [.. events.Select(e => e is null ? SendResult.InvalidPayloadStatus : result.Status)] }
            : result;
    }

    /// <summary>The PostHog event for one mapped payload, or null when it lacks a required value.</summary>
    private static JsonObject? ToEvent(string actionId, DeliveryItem item, bool geoipDisable)
    {
        var payload = item.Payload;
        if (payload.JsonString("distinct_id") is not { } distinctId)
        {
            return null;
        }

        var properties = new JsonObject();
        string name;
        if (actionId == "identify")
        {
            if (payload["properties"] is not JsonObject traits)
            {
                return null;
            }

            name = "$identify";
            properties["$set"] = traits.DeepClone();
        }
        else
        {
            var type = payload.JsonString("event_type");
            name = type switch { "page" => "$pageview", "screen" => "$screen", _ => payload.JsonString("event_name") ?? "" };
            if (name.Length == 0)
            {
                return null;
            }

            foreach (var (key, value) in payload["properties"] as JsonObject ?? [])
            {
                properties[key] = value?.DeepClone();
            }

            Copy(payload, "current_url", properties, type == "page" ? "$current_url" : null);
            Copy(payload, "screen_name", properties, type == "screen" ? "$screen_name" : null);
            if (payload.Flag("anonymous_event_capture"))
            {
                properties["$process_person_profile"] = false;
            }
        }

        Copy(payload, "ip_address", properties, "$ip");
        if (geoipDisable)
        {
            properties["$geoip_disable"] = true;
        }

        var result = new JsonObject { ["event"] = name, ["uuid"] = EventUuid(item.MessageId).ToString() };
        if (actionId == "identify")
        {
            result["distinct_id"] = distinctId;
        }
        else
        {
            properties["distinct_id"] = distinctId;
        }

        result["properties"] = properties;
        if (payload["timestamp"] is JsonValue timestamp)
        {
            result["timestamp"] = timestamp.DeepClone();
        }

        return result;
    }

    /// <summary>
    /// A stable UUID per messageId, so PostHog can recognise a retried event: the messageId itself when it is a UUID,
    /// otherwise a name-based (version 5 layout) UUID derived from its SHA-1.
    /// </summary>
    internal static Guid EventUuid(string messageId)
    {
        if (Guid.TryParse(messageId, out var id))
        {
            return id;
        }

        Span<byte> bytes = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes("junction:" + messageId), bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes[..16], bigEndian: true);
    }

    private static void Copy(JsonObject from, string key, JsonObject to, string? asKey)
    {
        if (asKey is not null)
        {
            to.SetIfPresent(asKey, from.JsonString(key));
        }
    }

    private static JsonObject Mapping(string eventType, string eventName)
    {
        var mapping = EventAction.DefaultMapping();
        mapping["event_type"] = eventType;
        mapping["event_name"] = eventName;
        return mapping;
    }
}
