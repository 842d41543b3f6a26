using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Protocols.Plans;

namespace Junction.Protocols.Templates;

/// <summary>
/// One of Segment's semantic specs as a ready-made set of tracking-plan rules, to import into a plan as a starting
/// point: its id (stable, for the Public API and the app), name, what it covers, and one TRACK rule (version 1) per
/// event of the spec.
/// </summary>
internal sealed record SpecTemplate(string Id, string Name, string Description, IReadOnlyList<PlanRule> Rules);

/// <summary>A property of a template event: its name and schema.</summary>
internal readonly record struct TemplateProperty(string Name, JsonNode Schema);

/// <summary>
/// Writes rules in Segment's shape: a draft-07 schema of the event whose <c>properties</c> child lists the spec's
/// properties with their types. No property is required, as in Segment's specs, so a template flags wrong types
/// and unplanned properties without refusing events that leave a property out.
/// </summary>
internal static class RuleWriter
{
    public const string Draft = "http://json-schema.org/draft-07/schema#";

    /// <summary>A TRACK rule for an event with the given properties (name → property schema).</summary>
    public static PlanRule Track(string eventName, IEnumerable<TemplateProperty> properties, JsonObject? context = null)
    {
        var listed = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            listed[name] = schema.DeepClone();
        }

        var parts = new JsonObject
        {
            ["properties"] = new JsonObject { ["type"] = "object", ["properties"] = listed },
        };
        if (context is not null)
        {
            parts["context"] = context.DeepClone();
        }

        var schemaObject = new JsonObject
        {
            ["$schema"] = Draft,
            ["type"] = "object",
            ["properties"] = parts,
        };
        return new PlanRule(RuleType.Track, eventName, 1, ToElement(schemaObject));
    }

    public static JsonNode String(string? description = null) => Typed("string", description);

    public static JsonNode Number(string? description = null) => Typed("number", description);

    public static JsonNode Integer(string? description = null) => Typed("integer", description);

    public static JsonNode Boolean(string? description = null) => Typed("boolean", description);

    /// <summary>A value of any of the given types: <c>{"type": ["string", "object"]}</c>.</summary>
    public static JsonNode OneOfTypes(string description, params string[] types) => new JsonObject
    {
        ["description"] = description,
        ["type"] = new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t))]),
    };

    /// <summary>A string from a fixed list.</summary>
    public static JsonNode Enum(string description, params string[] values) => new JsonObject
    {
        ["description"] = description,
        ["type"] = "string",
        ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]),
    };

    public static JsonNode Object(string description, IEnumerable<TemplateProperty> properties)
    {
        var listed = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            listed[name] = schema.DeepClone();
        }

        return new JsonObject { ["description"] = description, ["type"] = "object", ["properties"] = listed };
    }

    public static JsonNode ArrayOf(string description, JsonNode items) => new JsonObject
    {
        ["description"] = description,
        ["type"] = "array",
        ["items"] = items.DeepClone(),
    };

    private static JsonObject Typed(string type, string? description)
    {
        var schema = new JsonObject();
        if (description is not null)
        {
            schema["description"] = description;
        }

        schema["type"] = type;
        return schema;
    }

    private static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
