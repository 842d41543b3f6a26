using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.Klaviyo;

/// <summary>
/// Klaviyo through its JSON:API (revision <c>2025-01-15</c>, private key in the <c>Klaviyo-API-Key</c> header):
/// events one at a time to <c>/events/</c> or many at once as an event bulk-create job, and profiles created or
/// updated (a 409 names the existing profile, which is then patched) and optionally added to a list.
/// </summary>
internal sealed partial class KlaviyoDestination : IDestination
{
    private const string Revision = "2025-01-15";

    private static readonly string[] ProfileAttributes = ["email", "phone_number", "external_id", "anonymous_id"];

    private static readonly ActionDefinition TrackEvent = new(
        "trackEvent", "trackEvent", "Track Event", "Records an event on a profile, many per request.", "type = \"track\"",
        [
            new("profile", "Profile", "Who did it: at least one of email, phone_number, external_id or anonymous_id.", FieldType.Object, Required: true,
                Default: JsonNode.Parse("""{"external_id":{"@path":"$.userId"},"anonymous_id":{"@path":"$.anonymousId"}}""")),
            new("metric_name", "Metric name", "The event's name in Klaviyo.", FieldType.String, Required: true, Default: Path("$.event")),
            new("properties", "Properties", "Properties of the event.", FieldType.Object, Default: Path("$.properties")),
            new("time", "Time", "When it happened (ISO-8601).", FieldType.Datetime, Default: Path("$.timestamp")),
            new("value", "Value", "The monetary value of the event.", FieldType.Number),
            new("unique_id", "Unique id", "Klaviyo keeps one event per unique id and profile.", FieldType.String, Default: Path("$.messageId")),
        ],
        MaxBatchSize: 1000);

    private static readonly ActionDefinition UpsertProfile = new(
        "upsertProfile", "upsertProfile", "Upsert Profile", "Creates or updates a profile, and adds it to a list if one is given.", "type = \"identify\"",
        [
            new("email", "Email", "The profile's email address.", FieldType.String, Default: Path("$.traits.email")),
            new("phone_number", "Phone number", "In E.164 format (+15551234567).", FieldType.String, Default: Path("$.context.traits.phone")),
            new("external_id", "External id", "The user's id in your system (at most 255 characters).", FieldType.String, Default: Path("$.userId")),
            new("first_name", "First name", "The first name.", FieldType.String, Default: Path("$.traits.firstName")),
            new("last_name", "Last name", "The last name.", FieldType.String, Default: Path("$.traits.lastName")),
            new("organization", "Organization", "The company.", FieldType.String, Default: Path("$.traits.company.name")),
            new("title", "Title", "The job title.", FieldType.String, Default: Path("$.traits.title")),
            new("image", "Image", "A URL of the person's picture.", FieldType.String, Default: Path("$.traits.avatar")),
            new("location", "Location", "The postal address.", FieldType.Object, Default: JsonNode.Parse("""
                {"address1":{"@path":"$.traits.address.street"},"city":{"@path":"$.traits.address.city"},"region":{"@path":"$.traits.address.state"},"zip":{"@path":"$.traits.address.postal_code"},"country":{"@path":"$.traits.address.country"}}
                """)),
            new("properties", "Properties", "Custom properties of the profile.", FieldType.Object, Default: Path("$.properties")),
            new("list_id", "List", "A list to add the profile to.", FieldType.String),
            new("override_list_id", "List override", "A list id from the event that replaces the list above.", FieldType.String, Default: Path("$.integrations.Klaviyo.listId")),
        ]);

    public static DestinationDefinition Definition { get; } = new(
        "650bdf1a62fb34ef0a8058e1",
        "actions-klaviyo",
        "Klaviyo (Actions)",
        "Email and SMS marketing. Junction keeps Klaviyo profiles up to date and records events that can start flows.",
        [DestinationCategories.EmailMarketing, DestinationCategories.Marketing],
        "https://www.klaviyo.com",
        new SourceBadge("Kl", "#232426"),
        [new("api_key", "Private API key", "A private API key with write access to events, profiles and lists (Settings → API keys).", FieldType.Password, Required: true)],
        [TrackEvent, UpsertProfile],
        [],
        "https://a.klaviyo.com/api");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        if (context.Setting("api_key") is not { } key)
        {
            return SendResult.Invalid("The api_key setting is missing.");
        }

        return batch.Action.Id switch
        {
            "trackEvent" => await TrackAsync(context, key, batch.Items, cancellationToken),
            "upsertProfile" => await UpsertAsync(context, key, batch.Items[0].Payload, cancellationToken),
            _ => SendResult.Invalid($"Klaviyo has no action {batch.Action.Id}."),
        };
    }

    private static async Task<SendResult> TrackAsync(SendContext context, string key, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var statuses = Enumerable.Repeat(SendResult.InvalidPayloadStatus, items.Count).ToArray();
        var valid = new List<int>();
        string? problem = null;
        for (var i = 0; i < items.Count; i++)
        {
            var payload = items[i].Payload;
            var why = payload.ScalarText("metric_name") is null ? "metric_name is required."
                : ProfileProblem(payload.NonEmptyObject("profile") ?? [], ProfileAttributes);
            problem ??= why;
            if (why is null)
            {
                valid.Add(i);
            }
        }

        if (valid.Count == 0)
        {
            return SendResult.Invalid(problem!);
        }

        var result = await PostEventsAsync(context, key, [.. valid.Select(i => items[i].Payload)], cancellationToken);
        if (valid.Count == items.Count)
        {
            return result;
        }

        var sent = result.Statuses(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            statuses[valid[i]] = sent[i];
        }

        return SendResult.PerItem(statuses, result.Body, result.RetryAfter);
    }

    /// <summary>
    /// One event goes to <c>/events/</c>; several go as one bulk-create job. When Klaviyo refuses a job it points at
    /// the faulty events (<c>source.pointer</c>); those stay refused and the others are resent once.
    /// </summary>
    private static async Task<SendResult> PostEventsAsync(SendContext context, string key, List<JsonObject> payloads, CancellationToken cancellationToken)
    {
        if (payloads.Count == 1)
        {
            var single = Event(payloads[0]);
            single["profile"] = Resource("profile", ProfileOf(payloads[0]));
            return await SendJsonAsync(context, key, HttpMethod.Post, "/events/", Resource("event", single), cancellationToken);
        }

        var entries = payloads.Select(p => (JsonNode)new JsonObject
        {
            ["type"] = "event-bulk-create",
            ["attributes"] = new JsonObject
            {
                ["profile"] = Resource("profile", ProfileOf(p)),
                ["events"] = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["type"] = "event", ["attributes"] = Event(p) }) },
            },
        });
        var job = new JsonObject { ["events-bulk-create"] = new JsonObject { ["data"] = new JsonArray([.. entries]) } };
        var result = await SendJsonAsync(context, key, HttpMethod.Post, "/event-bulk-create-jobs/", Resource("event-bulk-create-job", job), cancellationToken);
        var faulty = result.Status == 400 ? FaultyIndexes(result.Body, payloads.Count) : [];
        if (faulty.Count == 0)
        {
            return result;
        }

        var statuses = Enumerable.Repeat(400, payloads.Count).ToArray();
        var retry = Enumerable.Range(0, payloads.Count).Where(i => !faulty.Contains(i)).ToList();
        if (retry.Count > 0)
        {
            var again = (await PostEventsAsync(context, key, [.. retry.Select(i => payloads[i])], cancellationToken)).Statuses(retry.Count);
            for (var i = 0; i < retry.Count; i++)
            {
                statuses[retry[i]] = again[i];
            }
        }

        return SendResult.PerItem(statuses, result.Body);
    }

    private static HashSet<int> FaultyIndexes(string body, int count) =>
        [.. (ParseBody(body)?["errors"] as JsonArray ?? [])
            .Select(e => e?["source"]?["pointer"] is JsonValue p && p.TryGetValue<string>(out var pointer) ? BulkIndex().Match(pointer) : Match.Empty)
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(i => i < count)];

    private static JsonObject Event(JsonObject payload)
    {
        var attributes = new JsonObject { ["properties"] = payload.NonEmptyObject("properties")?.DeepClone() ?? new JsonObject() };
        CopyFields(payload, attributes, [("time", "time"), ("value", "value"), ("unique_id", "unique_id")]);
        attributes["metric"] = Resource("metric", new JsonObject { ["name"] = payload.ScalarText("metric_name") });
        return attributes;
    }

    private static JsonObject ProfileOf(JsonObject payload)
    {
        var profile = new JsonObject();
        CopyFields(payload.NonEmptyObject("profile") ?? [], profile, ProfileAttributes.Select(a => (a, a)));
        return profile;
    }

    /// <summary>Creates the profile; on 409 patches the duplicate Klaviyo names; then adds it to the list, if any.</summary>
    private static async Task<SendResult> UpsertAsync(SendContext context, string key, JsonObject payload, CancellationToken cancellationToken)
    {
        if (ProfileProblem(payload, ["email", "phone_number", "external_id"]) is { } problem)
        {
            return SendResult.Invalid(problem);
        }

        var attributes = new JsonObject();
        CopyFields(payload, attributes, new[] { "email", "phone_number", "external_id", "first_name", "last_name", "organization", "title", "image" }.Select(a => (a, a)));
        if (payload.NonEmptyObject("location") is { } location)
        {
            attributes["location"] = location.DeepClone();
        }

        if (payload.NonEmptyObject("properties") is { } properties)
        {
            attributes["properties"] = properties.DeepClone();
        }

        var result = await SendJsonAsync(context, key, HttpMethod.Post, "/profiles/", Resource("profile", attributes), cancellationToken);
        var id = (ParseBody(result.Body)?["data"] as JsonObject)?.ScalarText("id");
        if (result.Status == 409
            && (ParseBody(result.Body)?["errors"] as JsonArray)?.FirstOrDefault()?["meta"]?["duplicate_profile_id"] is JsonValue found
            && found.TryGetValue<string>(out var duplicate))
        {
            id = duplicate;
            var patch = Resource("profile", attributes.DeepClone().AsObject());
            patch["data"]!["id"] = duplicate;
            result = await SendJsonAsync(context, key, HttpMethod.Patch, $"/profiles/{Uri.EscapeDataString(duplicate)}/", patch, cancellationToken);
        }

        var list = payload.ScalarText("override_list_id") ?? payload.ScalarText("list_id");
        if (list is null || id is null || SendClassifier.Classify(result.Status) != SendOutcome.Delivered)
        {
            return result;
        }

        var members = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["type"] = "profile", ["id"] = id }) };
        return await SendJsonAsync(context, key, HttpMethod.Post, $"/lists/{Uri.EscapeDataString(list)}/relationships/profiles/", members, cancellationToken);
    }

    private static string? ProfileProblem(JsonObject profile, string[] identifiers) =>
        !identifiers.Any(i => profile.ScalarText(i) is not null) ? $"The profile needs one of {string.Join(", ", identifiers)}."
        : profile.ScalarText("external_id") is { Length: > 255 } ? "external_id is longer than 255 characters."
        : null;

    /// <summary>A JSON:API document of one resource: <c>{"data":{"type":…,"attributes":…}}</c>.</summary>
    private static JsonObject Resource(string type, JsonObject attributes) =>
        new() { ["data"] = new JsonObject { ["type"] = type, ["attributes"] = attributes } };

    private static Task<SendResult> SendJsonAsync(SendContext context, string key, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken) =>
        context.SendJsonAsync(method, context.Url(path), body, headers =>
        {
            headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {key}");
            headers.Add("revision", Revision);
            headers.Add("Accept", "application/json");
        }, cancellationToken);

    [GeneratedRegex(@"^/data/attributes/events-bulk-create/data/(\d+)(/|$)")]
    private static partial Regex BulkIndex();
}
