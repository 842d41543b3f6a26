using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.HubSpot;

/// <summary>
/// HubSpot's CRM v3 API with a private app token: contacts upserted by e-mail (update, and create when HubSpot does
/// not know the address) and custom behavioral events. One event per call, as Segment sends them by default.
/// </summary>
internal sealed class HubSpotDestination : IDestination
{
    private const string Contacts = "/crm/v3/objects/contacts";

    private static readonly string[] ContactIdentifiers = ["email", "utk", "objectId"];

    private static readonly string[] ContactKeys = ["email", "company", "firstname", "lastname", "phone", "address", "city", "state", "country", "zip", "website"];

    public static DestinationDefinition Definition { get; } = new(
        Id: "632b1116e0cb83902f3fd717",
        Slug: "actions-hubspot-cloud",
        Name: "HubSpot Cloud Mode (Actions)",
        Description: "A CRM with marketing, sales and service hubs. Junction keeps HubSpot contacts up to date from identify calls and records custom behavioral events from track calls.",
        Categories: [DestinationCategories.Crm, DestinationCategories.Marketing],
        Website: "https://www.hubspot.com",
        Badge: new SourceBadge("HS", "#FF7A59"),
        Settings:
        [
            new("privateAppToken", "Private App Token", "The access token of a HubSpot private app with the contacts write and behavioral events scopes.", FieldType.Password, Required: true),
            new("portalId", "Hub ID", "Your HubSpot account's Hub ID; when set, event names must be internal names starting with pe<Hub ID>_.", FieldType.String),
        ],
        Actions:
        [
            new("upsertContact", "upsertContact", "Upsert Contact", "Updates the contact with this e-mail address, or creates it.", "type = \"identify\"",
            [
                new("email", "Email", "The contact's e-mail address, which identifies it.", FieldType.String, Required: true, Default: Path("$.traits.email")),
                Field("company", "Company Name", Path("$.traits.company")),
                Field("firstname", "First Name", PathOr("$.traits.first_name", "$.traits.firstName")),
                Field("lastname", "Last Name", PathOr("$.traits.last_name", "$.traits.lastName")),
                Field("phone", "Phone", Path("$.traits.phone")),
                Field("address", "Street Address", Path("$.traits.address.street")),
                Field("city", "City", Path("$.traits.address.city")),
                Field("state", "State", Path("$.traits.address.state")),
                Field("country", "Country", Path("$.traits.address.country")),
                Field("zip", "Postal Code", PathOr("$.traits.address.postalCode", "$.traits.address.postal_code")),
                Field("website", "Website", Path("$.traits.website")),
                new("lifecyclestage", "Lifecycle Stage", "The contact's lifecycle stage (lower-cased before sending).", FieldType.String),
                new("properties", "Other Properties", "More contact properties, by their HubSpot internal names.", FieldType.Object),
            ]),
            new("sendCustomBehavioralEvent", "sendCustomBehavioralEvent", "Send Custom Behavioral Event", "Records a custom behavioral event on a contact.", "type = \"track\"",
            [
                new("eventName", "Event Name", "The event's internal name in HubSpot (pe<Hub ID>_<name>).", FieldType.String, Required: true),
                Field("occurredAt", "Event Timestamp", Path("$.timestamp"), FieldType.Datetime),
                Field("email", "Email", PathOr("$.properties.email", "$.context.traits.email")),
                new("utk", "User Token", "The hubspotutk cookie value of the visitor.", FieldType.String),
                new("objectId", "Object ID", "The HubSpot id of the contact.", FieldType.String),
                new("properties", "Event Properties", "Properties defined on the event in HubSpot.", FieldType.Object),
            ]),
        ],
        Presets: [],
        DefaultBaseUrl: "https://api.hubapi.com");

    DestinationDefinition IDestination.Definition => Definition;

    public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        void Authorize(HttpRequestHeaders headers) => headers.Authorization = new AuthenticationHeaderValue("Bearer", context.Setting("privateAppToken"));
        Task<Reply> Send(HttpMethod method, string path, JsonObject properties) =>
            context.CallJsonAsync(method, context.Url(path), new JsonObject { ["properties"] = properties.DeepClone() }, Authorize, cancellationToken);

        // The core hands over one event at a time (MaxBatchSize 1).
        var payload = batch.Items[0].Payload;
        if (batch.Action.Id == "sendCustomBehavioralEvent")
        {
            var built = Event(payload, context.Setting("portalId"));
            if (built.Value is not { } body)
            {
                return SendResult.Invalid(built.Problem!);
            }

            return await context.SendJsonAsync(HttpMethod.Post, context.Url("/events/v3/send"), body, Authorize, cancellationToken);
        }

        if (payload.Text("email") is not { } email)
        {
            return SendResult.Invalid("The contact's e-mail address (email) is missing.");
        }

        var contact = Flatten(payload["properties"] as JsonObject);
        foreach (var key in ContactKeys)
        {
            contact.SetIfPresent(key, payload.Text(key)?.Trim());
        }

        var stage = payload.Text("lifecyclestage")?.Trim().ToLowerInvariant();
        contact.SetIfPresent("lifecyclestage", stage);
        var (updated, answer) = await Send(HttpMethod.Patch, $"{Contacts}/{Uri.EscapeDataString(email)}?idProperty=email", contact);
        if (updated.Status == 404)
        {
            return (await Send(HttpMethod.Post, Contacts, contact)).Result;
        }

        // A lifecycle stage only moves forward in HubSpot: when the contact kept a later one, clear it, then set it.
        if (stage is not null && SendClassifier.Classify(updated.Status) == SendOutcome.Delivered
            && ParseBody(answer) is JsonObject saved && saved["id"]?.ToString() is { } id
            && saved["properties"]?["lifecyclestage"]?.ToString() is { } kept && kept != stage)
        {
            var path = $"{Contacts}/{Uri.EscapeDataString(id)}";
            var (cleared, _) = await Send(HttpMethod.Patch, path, new JsonObject { ["lifecyclestage"] = "" });
            return SendClassifier.Classify(cleared.Status) != SendOutcome.Delivered
                ? cleared
                : (await Send(HttpMethod.Patch, path, new JsonObject { ["lifecyclestage"] = stage })).Result;
        }

        return updated;
    }

    private static Built<JsonObject> Event(JsonObject payload, string? portalId)
    {
        if (payload.Text("eventName") is not { } name)
        {
            return Built<JsonObject>.Refused("The event's internal name (eventName) is missing.");
        }

        if (portalId is not null && !name.StartsWith($"pe{portalId}_", StringComparison.Ordinal))
        {
            return Built<JsonObject>.Refused($"The event name {name} is not an internal name of Hub {portalId} (pe{portalId}_...).");
        }

        if (!ContactIdentifiers.Any(key => payload.Text(key) is not null))
        {
            return Built<JsonObject>.Refused("The event needs one of email, utk or objectId to find its contact.");
        }

        var body = new JsonObject { ["eventName"] = name };
        body.SetIfPresent("occurredAt", payload.Text("occurredAt"));
        foreach (var key in ContactIdentifiers)
        {
            body.SetIfPresent(key, payload.Text(key));
        }

        if (payload["properties"] is JsonObject { Count: > 0 } properties)
        {
            body["properties"] = Flatten(properties);
        }

        return Built<JsonObject>.Ok(body);
    }

    /// <summary>
    /// HubSpot properties are flat: nulls are dropped, strings trimmed, lists joined with <c>;</c> (objects in them
    /// as JSON), and nested objects sent as JSON text.
    /// </summary>
    private static JsonObject Flatten(JsonObject? properties)
    {
        var flat = new JsonObject();
        foreach (var (key, value) in properties ?? [])
        {
            flat.SetIfPresent(key, value switch
            {
                null => null,
                JsonArray list => string.Join(";", list.Where(i => i is not null).Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : i!.ToJsonString(Wire))),
                JsonObject nested => nested.ToJsonString(Wire),
                JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>().Trim(),
                _ => value,
            });
        }

        return flat;
    }

    private static ActionField Field(string key, string label, JsonObject mapping, FieldType type = FieldType.String) =>
        new(key, label, $"Sent as the {key} property.", type, Default: mapping);
}
