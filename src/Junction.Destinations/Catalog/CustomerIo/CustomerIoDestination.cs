using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Junction.Destinations.Framework;
using Junction.Workspace.Catalog;
using static Junction.Destinations.Framework.Directives;
using static Junction.Destinations.Framework.Payloads;
using static Junction.Destinations.Framework.Requests;

namespace Junction.Destinations.Catalog.CustomerIo;

/// <summary>
/// Customer.io through its Track API v2: every action becomes one "entity" (a person identified, a person's event,
/// page or screen view, or an object), posted alone to <c>/api/v2/entity</c> or, for several, to
/// <c>/api/v2/batch</c>. The account region picks the host unless the base URL is overridden.
/// </summary>
internal sealed partial class CustomerIoDestination : IDestination
{
    public const string EuHost = "https://track-eu.customer.io";
    private const string Region = "accountRegion";

    public static DestinationDefinition Definition { get; } = new(
        Id: "5f7dd78fe27ce7ff2b8bfa37",
        Slug: "actions-customerio",
        Name: "Customer.io (Actions)",
        Description: "Messaging automation for email, push and SMS. Junction keeps Customer.io's people and objects up to date and sends their events, page views and screen views.",
        Categories: [DestinationCategories.EmailMarketing, DestinationCategories.Marketing],
        Website: "https://customer.io",
        Badge: new SourceBadge("CIO", "#7131FF"),
        Settings:
        [
            new("siteId", "Site ID", "Your workspace's Site ID, under Settings > API Credentials in Customer.io.", FieldType.String, Required: true),
            new("apiKey", "API Key", "The Track API key paired with the Site ID.", FieldType.Password, Required: true),
            new(Region, "Account Region", "Where your Customer.io account lives; ignored when the base URL is overridden.", FieldType.Select,
                Default: "US 🇺🇸", Choices: [new("US 🇺🇸", "US"), new("EU 🇪🇺", "EU")]),
        ],
        Actions:
        [
            new("createUpdatePerson", "createUpdatePerson", "Create or Update Person", "Creates a person or updates their attributes, and relates them to an object when one is given.",
                "type = \"identify\"", [.. PersonFields(PathOr("$.userId", "$.traits.email")), .. PersonProfileFields()], MaxBatchSize: 50),
            new("trackEvent", "trackEvent", "Track Event", "Records a named event on a person.",
                "type = \"track\"", [.. PersonFields(Path("$.userId")), Field("name", "Event Name", "$.event", required: true), .. EventFields()], MaxBatchSize: 50),
            new("trackPageView", "trackPageView", "Track Page View", "Records a page view on a person.",
                "type = \"page\"", [.. PersonFields(Path("$.userId")), Field("url", "Page URL", "$.properties.url", required: true), .. EventFields()], MaxBatchSize: 50),
            new("trackScreenView", "trackScreenView", "Track Screen View", "Records a mobile screen view on a person.",
                "type = \"screen\"", [.. PersonFields(Path("$.userId")), Field("name", "Screen Name", "$.name", required: true), .. EventFields()], MaxBatchSize: 50),
            new("createUpdateObject", "createUpdateObject", "Create or Update Object", "Creates or updates an object (a company, an account) and relates the user to it.",
                "type = \"group\"", ObjectFields(), MaxBatchSize: 50),
        ],
        Presets:
        [
            new("Create or Update Person", "createUpdatePerson", "type = \"identify\""),
            new("Track Event", "trackEvent", "type = \"track\""),
            new("Track Page View", "trackPageView", "type = \"page\""),
            new("Track Screen View", "trackScreenView", "type = \"screen\""),
            new("Create or Update Object", "createUpdateObject", "type = \"group\""),
        ],
        DefaultBaseUrl: "https://track.customer.io");

    DestinationDefinition IDestination.Definition => Definition;

    public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
    {
        var regional = context with { BaseUrl = BaseUrlFor(context) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{context.Setting("siteId")}:{context.Setting("apiKey")}"));
        var entities = batch.Items.Select(item => Entity(batch.Action.Id, item)).ToList();
        return Built.SendValidAsync(entities, async valid =>
        {
            var (path, body) = valid.Count == 1
                ? ("/api/v2/entity", valid[0])
                : ("/api/v2/batch", new JsonObject { ["batch"] = new JsonArray([.. valid]) });
            return await regional.SendJsonAsync(HttpMethod.Post, regional.Url(path), body,
                headers => headers.Authorization = new AuthenticationHeaderValue("Basic", credentials), cancellationToken);
        });
    }

    /// <summary>The EU host when the region says so and the base URL is the default; an overridden base URL always wins.</summary>
    internal static string BaseUrlFor(SendContext context) =>
        context.UsesDefaultHost(Definition) && context.Setting(Region) is { } region && region.StartsWith("EU", StringComparison.Ordinal)
            ? EuHost
            : context.BaseUrl;

    private static Built<JsonObject> Entity(string actionId, DeliveryItem item)
    {
        var payload = item.Payload;
        var convert = payload.Flag("convert_timestamp", true);
        JsonNode? Attributes(string key) => convert ? ConvertTimes(payload.ObjectCopy(key), t => t.ToUnixTimeSeconds()) : payload.ObjectCopy(key);

        if (actionId == "createUpdateObject")
        {
            if (payload.Text("id") is not { } objectId)
            {
                return Built<JsonObject>.Refused("The object id (id) is missing.");
            }

            var entity = Envelope("object", "identify", new JsonObject { ["object_type_id"] = payload.Text("object_type_id") ?? "1", ["object_id"] = objectId }, payload);
            entity["attributes"] = Attributes("custom_attributes");
            if (Person(payload.Text("user_id"), null, payload.Text("anonymous_id")) is { } member)
            {
                entity["cio_relationships"] = new JsonArray(Relationship(member, payload));
            }

            return Built<JsonObject>.Ok(entity);
        }

        var anonymousId = payload.Text("anonymous_id");
        if (Person(payload.Text("id"), payload.Text("email"), anonymousId) is not { } person)
        {
            return Built<JsonObject>.Refused("The person has no identifier: map id, email or anonymous_id.");
        }

        var (action, name, attributesKey) = actionId switch
        {
            "trackEvent" => ("event", payload.Text("name"), "data"),
            "trackPageView" => ("page", payload.Text("url"), "data"),
            "trackScreenView" => ("screen", payload.Text("name"), "data"),
            _ => ("identify", null, "custom_attributes"),
        };
        if (action != "identify" && name is null)
        {
            return Built<JsonObject>.Refused(action == "page" ? "The page URL (url) is missing." : "The event name (name) is missing.");
        }

        var attributes = payload.ObjectCopy(attributesKey);
        if (action == "identify")
        {
            attributes.SetIfPresent("email", payload["email"]);
            attributes.SetIfPresent("created_at", payload["created_at"]);
        }

        if (anonymousId is not null && !person.ContainsKey("anonymous_id"))
        {
            attributes["anonymous_id"] = anonymousId;
        }

        var result = Envelope("person", action, person, payload);
        result.SetIfPresent("name", name);
        // The event id is Customer.io's dedupe key: without a mapped one, the messageId keeps retries from duplicating.
        result.SetIfPresent("id", action == "identify" ? null : payload["event_id"] ?? JsonValue.Create(item.MessageId));
        result["attributes"] = convert ? ConvertTimes(attributes, t => t.ToUnixTimeSeconds()) : attributes;
        if (action == "identify" && payload.Text("group_id") is { } groupId)
        {
            var target = new JsonObject { ["object_type_id"] = payload.Text("object_type_id") ?? "1", ["object_id"] = groupId };
            result["cio_relationships"] = new JsonArray(Relationship(target, payload));
        }

        return Built<JsonObject>.Ok(result);
    }

    private static JsonObject Envelope(string type, string action, JsonObject identifiers, JsonObject payload)
    {
        var entity = new JsonObject { ["type"] = type, ["action"] = action, ["identifiers"] = identifiers };
        entity.SetIfPresent("timestamp", UnixSeconds(payload["timestamp"]));
        return entity;
    }

    private static JsonObject Relationship(JsonObject identifiers, JsonObject payload)
    {
        var relationship = new JsonObject { ["identifiers"] = identifiers };
        if (payload["relationship_attributes"] is JsonObject { Count: > 0 } attributes)
        {
            relationship["relationship_attributes"] = attributes.DeepClone();
        }

        return relationship;
    }

    /// <summary>
    /// A person's identifiers: a <c>cio_</c>-prefixed id is Customer.io's own id (sent without the prefix), an id
    /// that is an e-mail address is sent as the email, then the email field, then the anonymous id.
    /// </summary>
    private static JsonObject? Person(string? id, string? email, string? anonymousId) => (id, email, anonymousId) switch
    {
        ({ } cio, _, _) when cio.StartsWith("cio_", StringComparison.Ordinal) => new() { ["cio_id"] = cio[4..] },
        ({ } address, _, _) when EmailAddress().IsMatch(address) => new() { ["email"] = address },
        ({ } plain, _, _) => new() { ["id"] = plain },
        (null, { } address, _) => new() { ["email"] = address },
        (null, null, { } anonymous) => new() { ["anonymous_id"] = anonymous },
        _ => null,
    };

    private static ActionField Field(string key, string label, string path, bool required = false, FieldType type = FieldType.String) =>
        new(key, label, $"Read from {path} by default.", type, required, Path(path));

    private static ActionField[] PersonFields(JsonObject idDefault) =>
    [
        new("id", "Person ID", "The person's id in your system; an e-mail address or a cio_ id also works.", FieldType.String, Default: idDefault),
        Field("anonymous_id", "Anonymous ID", "$.anonymousId"),
        Field("timestamp", "Timestamp", "$.timestamp", type: FieldType.Datetime),
        new("convert_timestamp", "Convert Timestamps", "Sends ISO-8601 dates inside the attributes as Unix seconds.", FieldType.Boolean, Default: true),
    ];

    private static ActionField[] PersonProfileFields() =>
    [
        new("email", "Email Address", "The person's e-mail address.", FieldType.String, Default: Template("{{traits.email}}")),
        new("created_at", "Created At", "When the person signed up.", FieldType.Datetime, Default: PathOr("$.traits.created_at", "$.traits.createdAt")),
        new("custom_attributes", "Person Attributes", "Attributes stored on the person.", FieldType.Object, Default: Path("$.traits")),
        Field("group_id", "Object ID", "$.traits.objectId"),
        new("object_type_id", "Object Type ID", "The object type of the related object (1 when empty).", FieldType.String, Default: PathOr("$.traits.object_type_id", "$.traits.objectTypeId")),
        Field("relationship_attributes", "Relationship Attributes", "$.traits.relationshipAttributes", type: FieldType.Object),
    ];

    private static ActionField[] EventFields() =>
    [
        Field("event_id", "Event ID", "$.messageId"),
        Field("data", "Event Attributes", "$.properties", type: FieldType.Object),
    ];

    private static ActionField[] ObjectFields() =>
    [
        Field("id", "Object ID", "$.groupId", required: true),
        new("object_type_id", "Object Type ID", "The object's type (1 when empty).", FieldType.String, Default: PathOr("$.traits.object_type_id", "$.traits.objectTypeId")),
        Field("custom_attributes", "Object Attributes", "$.traits.objectAttributes", type: FieldType.Object),
        Field("relationship_attributes", "Relationship Attributes", "$.traits.relationshipAttributes", type: FieldType.Object),
        Field("user_id", "User ID", "$.userId"),
        Field("anonymous_id", "Anonymous ID", "$.anonymousId"),
        Field("timestamp", "Timestamp", "$.timestamp", type: FieldType.Datetime),
        new("convert_timestamp", "Convert Timestamps", "Sends ISO-8601 dates inside the attributes as Unix seconds.", FieldType.Boolean, Default: true),
    ];

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();
}
