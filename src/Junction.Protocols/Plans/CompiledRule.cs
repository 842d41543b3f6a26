using System.Text.Json;
using System.Text.RegularExpressions;
using Junction.Protocols.Plans.Schema;

namespace Junction.Protocols.Plans;

/// <summary>
/// One rule, compiled: its schema as a tree of checks, and the fields it plans (the keys listed under the rule's
/// <c>properties.properties.properties</c> for track, page and screen rules, <c>properties.traits.properties</c> for
/// identify and group rules). A key is planned when it is listed there or matches one of the
/// <c>patternProperties</c> next to it, or when <c>additionalProperties</c> there is a schema (an object), which plans
/// every key; otherwise it is unplanned, even when <c>additionalProperties</c> is absent or <c>true</c>. A
/// <c>$ref</c> in that place is followed.
/// </summary>
internal sealed class CompiledRule
{
    private readonly HashSet<string> _fields;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Regex[] _fieldPatterns;

    private CompiledRule(PlanRule rule, SchemaNode schema, HashSet<string> fields, Regex[] fieldPatterns, bool plansEveryField)
    {
        Rule = rule;
        Schema = schema;
        _fields = fields;
        _lookup = fields.GetAlternateLookup<ReadOnlySpan<char>>();
        _fieldPatterns = fieldPatterns;
        PlansEveryField = plansEveryField;
        FieldsRoot = rule.Type is RuleType.Identify or RuleType.Group ? "traits" : "properties";
    }

    public PlanRule Rule { get; }

    public SchemaNode Schema { get; }

    /// <summary>Where the fields this rule plans live in an event: <c>properties</c> or <c>traits</c>.</summary>
    public string FieldsRoot { get; }

    /// <summary>True when every key is planned (<c>additionalProperties</c> is a schema).</summary>
    public bool PlansEveryField { get; }

    /// <summary>The keys listed by the rule.</summary>
    public IReadOnlyCollection<string> Fields => _fields;

    public static CompiledRule Create(PlanRule rule, Dictionary<string, Regex> regexes)
    {
        var schema = rule.JsonSchema.Clone();
        var root = SchemaCompiler.Compile(schema, regexes);
        var fields = new HashSet<string>(StringComparer.Ordinal);
        var patterns = new List<Regex>();
        var everything = false;
        var part = rule.Type is RuleType.Identify or RuleType.Group ? "traits" : "properties";
        if (rule.Type != RuleType.Common && Follow(schema, schema) is { ValueKind: JsonValueKind.Object } top
            && top.TryGetProperty("properties", out var parts) && parts.ValueKind == JsonValueKind.Object
            && parts.TryGetProperty(part, out var partSchema) && Follow(schema, partSchema) is { ValueKind: JsonValueKind.Object } described)
        {
            if (described.TryGetProperty("properties", out var listed) && listed.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in listed.EnumerateObject())
                {
                    fields.Add(field.Name);
                }
            }

            if (described.TryGetProperty("patternProperties", out var patternProperties) && patternProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in patternProperties.EnumerateObject())
                {
                    if (regexes.TryGetValue(pattern.Name, out var regex))
                    {
                        patterns.Add(regex);
                    }
                }
            }

            everything = described.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object;
        }

        return new CompiledRule(rule, root, fields, [.. patterns], everything);
    }

    /// <summary>True when the rule plans the key <paramref name="name"/> under <see cref="FieldsRoot"/>.</summary>
    public bool Plans(ReadOnlySpan<char> name)
    {
        if (PlansEveryField || _lookup.Contains(name))
        {
            return true;
        }

        foreach (var pattern in _fieldPatterns)
        {
            if (Patterns.IsMatch(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    // Follows local references (a few steps at most) to the schema they name.
    private static JsonElement Follow(JsonElement root, JsonElement schema)
    {
        for (var hops = 0; hops < 8 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference)
            && reference.GetString() is ['#', ..] pointer; hops++)
        {
            var current = root;
            foreach (var token in pointer.Length > 1 ? Uri.UnescapeDataString(pointer)[2..].Split('/') : [])
            {
                var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
                {
                    return default;
                }
            }

            schema = current;
        }

        return schema;
    }
}
