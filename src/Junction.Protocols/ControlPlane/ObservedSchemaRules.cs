using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Protocols.Observation;
using Junction.Protocols.Plans;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Makes tracking-plan rules from what a source has sent (the schema view's <see cref="ObservedEvent"/>s): a TRACK
/// rule per event name, a PAGE or SCREEN rule per name, an IDENTIFY and a GROUP rule, each a draft-07 schema in
/// Segment's rule shape whose <c>properties</c> (or <c>traits</c>) lists every path seen with the JSON types seen.
/// Nothing is required (seeing a property does not say it is always sent); <c>integer</c> and <c>number</c> seen
/// together become <c>number</c>; array items (<c>products.$</c>) become <c>items</c>. Alias calls have no rule.
/// </summary>
internal static class ObservedSchemaRules
{
    public const string SchemaDraft = "http://json-schema.org/draft-07/schema#";

    public static IReadOnlyList<PlanRule> From(IEnumerable<ObservedEvent> events)
    {
        var rules = new List<PlanRule>();
        foreach (var observed in events)
        {
            RuleType? type = observed.Type switch
            {
                "track" when observed.Name.Length > 0 => RuleType.Track,
                "page" => RuleType.Page,
                "screen" => RuleType.Screen,
                "identify" => RuleType.Identify,
                "group" => RuleType.Group,
                _ => null,
            };
            if (type is not { } ruleType)
            {
                continue;
            }

            var key = RuleTypes.HasKey(ruleType) && observed.Name.Length > 0 ? observed.Name : null;
            if (rules.Any(r => r.Type == ruleType && r.Key == key))
            {
                continue;
            }

            var root = ruleType is RuleType.Identify or RuleType.Group ? "traits" : "properties";
            rules.Add(new PlanRule(ruleType, key, 1, Schema(root, observed.Properties)));
        }

        return rules;
    }

    private static JsonElement Schema(string root, IReadOnlyList<ObservedProperty> properties)
    {
        var top = new Node();
        foreach (var property in properties)
        {
            var segments = property.Path.Split('.');
            if (segments.Length < 2 || segments[0] != root)
            {
                continue;
            }

            var node = top;
            foreach (var segment in segments.AsSpan(1))
            {
                node = segment == "$" ? node.Items ??= new Node() : node.Child(segment);
            }

            node.Types.UnionWith(property.Types);
        }

        var schema = new JsonObject
        {
            ["$schema"] = SchemaDraft,
            ["type"] = "object",
            ["properties"] = new JsonObject { [root] = top.ToSchema(isRoot: true) },
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>One path of the observed schema: the types seen for it, its named children and its array items.</summary>
    private sealed class Node
    {
        private readonly SortedDictionary<string, Node> _children = new(StringComparer.Ordinal);

        public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

        public Node? Items { get; set; }

        public Node Child(string name)
        {
            if (!_children.TryGetValue(name, out var child))
            {
                _children[name] = child = new Node();
            }

            return child;
        }

        public JsonObject ToSchema(bool isRoot = false)
        {
            var types = new List<string>();
            foreach (var name in new[] { "string", "integer", "number", "boolean", "object", "array", "null" })
            {
                if (Types.Contains(name) && !(name == "integer" && Types.Contains("number")))
                {
                    types.Add(name);
                }
            }

            if (isRoot || (types.Count == 0 && _children.Count > 0))
            {
                types = ["object"];
            }
            else if (types.Count == 0 && Items is not null)
            {
                types = ["array"];
            }

            var schema = new JsonObject();
            if (types.Count == 1)
            {
                schema["type"] = types[0];
            }
            else if (types.Count > 1)
            {
                schema["type"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
            }

            if (_children.Count > 0 || isRoot)
            {
                var children = new JsonObject();
                foreach (var (name, child) in _children)
                {
                    children[name] = child.ToSchema();
                }

                schema["properties"] = children;
            }

            if (Items is not null)
            {
                schema["items"] = Items.ToSchema();
            }

            return schema;
        }
    }
}
