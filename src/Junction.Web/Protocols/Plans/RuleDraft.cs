using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Protocols.Plans;

namespace Junction.Web.Protocols.Plans;

/// <summary>
/// One property (or trait) of a rule as the property table edits it: its name, the JSON types it may have (none for
/// any), whether it is required, and its allowed values as typed (separated by commas). The property's own schema is
/// kept, so keywords the table does not show (a pattern, a description, nested properties) survive an edit.
/// </summary>
internal sealed class PropertyDraft
{
    public string Name { get; set; } = "";

    public IReadOnlyCollection<string> Types { get; set; } = [];

    public bool Required { get; set; }

    /// <summary>The allowed values, separated by commas: text as written, numbers, <c>true</c>, <c>false</c> and <c>null</c> as JSON.</summary>
    public string AllowedValues { get; set; } = "";

    /// <summary>The property's schema as the rule had it, or null for a property added in the table.</summary>
    public JsonObject? Original { get; init; }
}

/// <summary>
/// A tracking-plan rule as the plan page edits it, in Segment's rule shape: a draft-07 schema of the event whose
/// <c>properties</c> child (<c>traits</c> for identify and group) lists the event's properties, each with a
/// <c>type</c> and optionally an <c>enum</c>, and a <c>required</c> list. The table edits those; everything else in the
/// schema (<c>context</c>, other keywords) is kept as it was. <see cref="ToSchema"/> writes the rule's schema again.
/// </summary>
internal sealed class RuleDraft
{
    public const string Draft07 = "http://json-schema.org/draft-07/schema#";

    /// <summary>The JSON types a property can be given, in the order they are offered and written.</summary>
    public static readonly IReadOnlyList<string> JsonTypes = ["string", "number", "integer", "boolean", "object", "array", "null"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonObject _schema;

    private RuleDraft(RuleType type, string? key, int version, JsonObject schema, List<PropertyDraft> properties)
    {
        Type = type;
        Key = key;
        Version = version;
        _schema = schema;
        Properties = properties;
    }

    public RuleType Type { get; }

    /// <summary>The event (or page or screen) name the rule is for; null for the rules that have none.</summary>
    public string? Key { get; set; }

    public int Version { get; }

    /// <summary>The part of the event the table edits: <c>traits</c> for identify and group rules, else <c>properties</c>.</summary>
    public string Root => RootOf(Type);

    public List<PropertyDraft> Properties { get; }

    public static string RootOf(RuleType type) => type is RuleType.Identify or RuleType.Group ? "traits" : "properties";

    /// <summary>A new rule with no properties.</summary>
    public static RuleDraft New(RuleType type, string? key) => new(type, key, 1, new JsonObject
    {
        ["$schema"] = Draft07,
        ["type"] = "object",
        ["properties"] = new JsonObject { [RootOf(type)] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() } },
    }, []);

    /// <summary>A rule's schema read into the table.</summary>
    public static RuleDraft From(RuleType type, string? key, int version, JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText()) as JsonObject ?? new JsonObject();
        var properties = new List<PropertyDraft>();
        if (node["properties"]?[RootOf(type)] is JsonObject root)
        {
            var required = (root["required"] as JsonArray)?.Select(r => r?.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null)
                .OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
            if (root["properties"] is JsonObject listed)
            {
                foreach (var (name, value) in listed)
                {
                    var own = value as JsonObject;
                    properties.Add(new PropertyDraft
                    {
                        Name = name,
                        Types = TypesOf(own),
                        Required = required.Contains(name),
                        AllowedValues = own?["enum"] is JsonArray values ? string.Join(", ", values.Select(Text)) : "",
                        Original = own,
                    });
                }
            }

            // A name required but not listed is still a property of the event: it shows in the table with any type.
            foreach (var name in required.Where(r => properties.All(p => p.Name != r)))
            {
                properties.Add(new PropertyDraft { Name = name, Required = true });
            }
        }

        return new RuleDraft(type, key, version, node, properties);
    }

    /// <summary>What is wrong with the table (an empty or repeated name), or null when it can be written.</summary>
    public string? Problem()
    {
        if (Properties.Any(p => p.Name.Trim().Length == 0))
        {
            return "Every property needs a name.";
        }

        var repeated = Properties.GroupBy(p => p.Name.Trim(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? null : $"The property {repeated.Key} is listed twice.";
    }

    /// <summary>The rule's schema with the table written into it.</summary>
    public JsonElement ToSchema()
    {
        var schema = (JsonObject)_schema.DeepClone();
        schema["$schema"] ??= Draft07;
        schema["type"] ??= "object";
        if (schema["properties"] is not JsonObject parts)
        {
            parts = new JsonObject();
            schema["properties"] = parts;
        }

        if (parts[Root] is not JsonObject root)
        {
            root = new JsonObject { ["type"] = "object" };
            parts[Root] = root;
        }

        var listed = new JsonObject();
        foreach (var property in Properties)
        {
            var own = property.Original?.DeepClone() as JsonObject ?? new JsonObject();
            var types = JsonTypes.Where(property.Types.Contains).ToList();
            own.Remove("type");
            if (types.Count == 1)
            {
                own["type"] = types[0];
            }
            else if (types.Count > 1)
            {
                own["type"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray());
            }

            own.Remove("enum");
            var values = AllowedValuesOf(property.AllowedValues, types);
            if (values.Count > 0)
            {
                own["enum"] = new JsonArray(values.ToArray());
            }

            listed[property.Name.Trim()] = own;
        }

        root["properties"] = listed;
        var required = Properties.Where(p => p.Required).Select(p => (JsonNode)p.Name.Trim()).ToArray();
        root.Remove("required");
        if (required.Length > 0)
        {
            root["required"] = new JsonArray(required);
        }

        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>The schema as indented JSON, for the JSON Schema editor.</summary>
    public string ToJson() => Format(ToSchema());

    public static string Format(JsonElement schema) => JsonSerializer.Serialize(schema, Indented);

    /// <summary>
    /// Reads allowed values typed with commas between them. For a property that may only be text every value is text;
    /// otherwise a value that reads as a JSON number, <c>true</c>, <c>false</c>, <c>null</c> or a quoted string is that,
    /// and anything else is text.
    /// </summary>
    public static IReadOnlyList<JsonNode?> AllowedValuesOf(string text, IReadOnlyCollection<string> types)
    {
        var onlyText = types.Count == 1 && types.Contains("string");
        var values = new List<JsonNode?>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (onlyText)
            {
                values.Add(JsonValue.Create(part));
                continue;
            }

            try
            {
                var parsed = JsonNode.Parse(part);
                values.Add(parsed is null || parsed is JsonValue ? parsed : JsonValue.Create(part));
            }
            catch (JsonException)
            {
                values.Add(JsonValue.Create(part));
            }
        }

        return values;
    }

    /// <summary>A short description of a property for the rules list: <c>revenue (number, required)</c>.</summary>
    public static string Summary(PropertyDraft property)
    {
        var parts = new List<string>();
        if (property.Types.Count > 0)
        {
            parts.Add(string.Join(" or ", JsonTypes.Where(property.Types.Contains)));
        }

        if (property.Required)
        {
            parts.Add("required");
        }

        if (property.AllowedValues.Length > 0)
        {
            parts.Add("one of " + property.AllowedValues);
        }

        return parts.Count == 0 ? property.Name : $"{property.Name} ({string.Join(", ", parts)})";
    }

    private static IReadOnlyCollection<string> TypesOf(JsonObject? schema) => schema?["type"] switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        JsonArray list => list.Where(t => t?.GetValueKind() == JsonValueKind.String).Select(t => t!.GetValue<string>()).ToList(),
        _ => [],
    };

    private static string Text(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "null";
}
