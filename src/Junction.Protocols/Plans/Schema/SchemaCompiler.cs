using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Junction.Protocols.Plans.Schema;

/// <summary>A schema Junction cannot use: the keyword, where it sits in the schema, and what is wrong with it.</summary>
internal sealed class SchemaProblemException(string message) : Exception(message);

/// <summary>
/// Compiles a draft-07 JSON Schema (a <see cref="JsonElement"/>) into a tree of <see cref="SchemaNode"/> checks, once,
/// so that validating an event walks the tree without reading the schema again. Unknown keywords are ignored, as JSON
/// Schema says; a known keyword with a value of the wrong kind (<c>"type": 5</c>, <c>"required": "x"</c>) is a
/// <see cref="SchemaProblemException"/> naming the keyword and its place. <c>$ref</c> may point anywhere inside the
/// same schema (<c>#</c>, <c>#/definitions/…</c>); as in draft-07, the other keywords next to a <c>$ref</c> are
/// ignored. A reference that loops back without going into the data (<c>{"$ref": "#"}</c>) is refused.
/// </summary>
internal sealed class SchemaCompiler
{
    private static readonly string[] Drafts =
    [
        "http://json-schema.org/draft-07/schema#",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft-07/schema#",
        "https://json-schema.org/draft-07/schema",
    ];

    private readonly JsonElement _root;
    private readonly Dictionary<string, Regex> _regexes;
    private readonly Dictionary<string, SchemaNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<(RefCheck Check, string Location)> _unresolved = [];

    private SchemaCompiler(JsonElement root, Dictionary<string, Regex> regexes)
    {
        _root = root;
        _regexes = regexes;
    }

    /// <summary>
    /// Compiles a schema. <paramref name="regexes"/> shares compiled patterns between the schemas of one plan.
    /// The schema must stay readable for the life of the result (pass a cloned element).
    /// </summary>
    public static SchemaNode Compile(JsonElement schema, Dictionary<string, Regex>? regexes = null)
    {
        var compiler = new SchemaCompiler(schema, regexes ?? new Dictionary<string, Regex>(StringComparer.Ordinal));
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$schema", out var draft))
        {
            if (draft.ValueKind != JsonValueKind.String)
            {
                throw Problem("#", "$schema", "must be a string");
            }

            if (!Drafts.Contains(draft.GetString(), StringComparer.Ordinal))
            {
                throw Problem("#", "$schema", $"is \"{draft.GetString()}\", but Junction validates JSON Schema draft-07 only (\"{Drafts[0]}\")");
            }
        }

        var root = compiler.Node(schema, "#");
        compiler.ResolveReferences();
        compiler.RefuseLoops();
        return root;
    }

    private SchemaNode Node(JsonElement schema, string location)
    {
        if (_nodes.TryGetValue(location, out var known))
        {
            return known;
        }

        var node = new SchemaNode { Location = location };
        _nodes[location] = node;
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return node;
            case JsonValueKind.False:
                node.RejectAll();
                return node;
            case JsonValueKind.Object:
                Fill(node, schema, location);
                return node;
            default:
                throw new SchemaProblemException($"The schema at {location} is {Kind(schema)}; a schema must be an object (or true or false).");
        }
    }

    private void Fill(SchemaNode node, JsonElement schema, string location)
    {
        if (schema.TryGetProperty("definitions", out var definitions))
        {
            foreach (var (name, definition) in ObjectOf(definitions, location, "definitions"))
            {
                Node(definition, Child(location, "definitions", name));
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            if (reference.ValueKind != JsonValueKind.String)
            {
                throw Problem(location, "$ref", $"must be a string, not {Kind(reference)}");
            }

            var check = new RefCheck(reference.GetString()!);
            _unresolved.Add((check, location));
            node.Fill([check], typeFirst: false);
            return;
        }

        var checks = new List<SchemaCheck>();
        var typeFirst = false;
        if (schema.TryGetProperty("type", out var type))
        {
            checks.Add(Type(type, location));
            typeFirst = true;
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw Problem(location, "enum", $"must be an array of at least one value, not {Kind(values)}");
            }

            checks.Add(new EnumCheck([.. values.EnumerateArray()]));
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            checks.Add(new ConstCheck(constant));
        }

        AddNumberCheck(checks, schema, location);
        AddStringCheck(checks, schema, location);
        AddArrayCheck(checks, schema, location);
        AddObjectCheck(checks, schema, location);
        AddCombinators(checks, schema, location);
        node.Fill([.. checks], typeFirst);
    }

    private static TypeCheck Type(JsonElement type, string location)
    {
        var names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array when type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                type.EnumerateArray().Select(t => t.GetString()!).ToArray(),
            _ => throw Problem(location, "type", $"must be a type name or a non-empty array of type names, not {Kind(type)}"),
        };
        var allowed = JsonTypes.None;
        foreach (var name in names)
        {
            var flag = name switch
            {
                "string" => JsonTypes.String,
                "number" => JsonTypes.Number,
                "integer" => JsonTypes.Integer,
                "boolean" => JsonTypes.Boolean,
                "object" => JsonTypes.Object,
                "array" => JsonTypes.Array,
                "null" => JsonTypes.Null,
                _ => throw Problem(location, "type", $"names \"{name}\", which is not a JSON Schema type (string, number, integer, boolean, object, array, null; lower case)"),
            };
            if ((allowed & flag) != 0)
            {
                throw Problem(location, "type", $"lists \"{name}\" twice");
            }

            allowed |= flag;
        }

        return new TypeCheck(allowed, string.Join(" or ", names));
    }

    private static void AddNumberCheck(List<SchemaCheck> checks, JsonElement schema, string location)
    {
        var minimum = Number(schema, "minimum", location);
        var maximum = Number(schema, "maximum", location);
        var exclusiveMinimum = Number(schema, "exclusiveMinimum", location);
        var exclusiveMaximum = Number(schema, "exclusiveMaximum", location);
        var multipleOf = Number(schema, "multipleOf", location);
        if (multipleOf is { Value: <= 0 })
        {
            throw Problem(location, "multipleOf", "must be greater than 0");
        }

        if (minimum is not null || maximum is not null || exclusiveMinimum is not null || exclusiveMaximum is not null || multipleOf is not null)
        {
            checks.Add(new NumberCheck(minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf));
        }
    }

    private void AddStringCheck(List<SchemaCheck> checks, JsonElement schema, string location)
    {
        var minLength = Count(schema, "minLength", location);
        var maxLength = Count(schema, "maxLength", location);
        Regex? pattern = null;
        string? patternText = null;
        if (schema.TryGetProperty("pattern", out var patternValue))
        {
            patternText = patternValue.ValueKind == JsonValueKind.String
                ? patternValue.GetString()!
                : throw Problem(location, "pattern", $"must be a string, not {Kind(patternValue)}");
            pattern = Regex(patternText, location, "pattern");
        }

        FormatKind? format = null;
        string? formatName = null;
        if (schema.TryGetProperty("format", out var formatValue))
        {
            formatName = formatValue.ValueKind == JsonValueKind.String
                ? formatValue.GetString()!
                : throw Problem(location, "format", $"must be a string, not {Kind(formatValue)}");
            format = Formats.TryParse(formatName, out var kind) ? kind : null;
        }

        if (minLength is not null || maxLength is not null || pattern is not null || format is not null)
        {
            checks.Add(new StringCheck(minLength, maxLength, pattern, patternText, format, formatName));
        }
    }

    private void AddArrayCheck(List<SchemaCheck> checks, JsonElement schema, string location)
    {
        SchemaNode? items = null;
        SchemaNode[]? tuple = null;
        SchemaNode? additional = null;
        var additionalForbidden = false;
        if (schema.TryGetProperty("items", out var itemsValue))
        {
            if (itemsValue.ValueKind == JsonValueKind.Array)
            {
                tuple = [.. itemsValue.EnumerateArray().Select((item, i) => Node(item, Child(location, "items", i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
                if (schema.TryGetProperty("additionalItems", out var additionalValue))
                {
                    additional = Node(additionalValue, Child(location, "additionalItems"));
                    additionalForbidden = additionalValue.ValueKind == JsonValueKind.False;
                }
            }
            else
            {
                items = Node(itemsValue, Child(location, "items"));
            }
        }
        else if (schema.TryGetProperty("additionalItems", out var ignored))
        {
            Node(ignored, Child(location, "additionalItems"));
        }

        SchemaNode? contains = null;
        if (schema.TryGetProperty("contains", out var containsValue))
        {
            contains = Node(containsValue, Child(location, "contains"));
        }

        var minItems = Count(schema, "minItems", location);
        var maxItems = Count(schema, "maxItems", location);
        var unique = false;
        if (schema.TryGetProperty("uniqueItems", out var uniqueValue))
        {
            unique = uniqueValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Problem(location, "uniqueItems", $"must be true or false, not {Kind(uniqueValue)}"),
            };
        }

        if ((items is not null && !items.AcceptsAll) || tuple is not null || contains is not null || minItems is not null || maxItems is not null || unique)
        {
            checks.Add(new ArrayCheck(items, tuple, additional, additionalForbidden, contains, minItems, maxItems, unique));
        }
    }

    private void AddObjectCheck(List<SchemaCheck> checks, JsonElement schema, string location)
    {
        Dictionary<string, SchemaNode>? properties = null;
        if (schema.TryGetProperty("properties", out var propertiesValue))
        {
            properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var (name, child) in ObjectOf(propertiesValue, location, "properties"))
            {
                properties[name] = Node(child, Child(location, "properties", name));
            }
        }

        var patterns = new List<PatternProperty>();
        if (schema.TryGetProperty("patternProperties", out var patternsValue))
        {
            foreach (var (pattern, child) in ObjectOf(patternsValue, location, "patternProperties"))
            {
                patterns.Add(new PatternProperty(Regex(pattern, location, "patternProperties"), pattern, Node(child, Child(location, "patternProperties", pattern))));
            }
        }

        SchemaNode? additional = null;
        var additionalForbidden = false;
        if (schema.TryGetProperty("additionalProperties", out var additionalValue))
        {
            additional = Node(additionalValue, Child(location, "additionalProperties"));
            additionalForbidden = additionalValue.ValueKind == JsonValueKind.False;
        }

        SchemaNode? propertyNames = null;
        if (schema.TryGetProperty("propertyNames", out var namesValue))
        {
            propertyNames = Node(namesValue, Child(location, "propertyNames"));
        }

        string[] required = [];
        if (schema.TryGetProperty("required", out var requiredValue))
        {
            if (requiredValue.ValueKind != JsonValueKind.Array || requiredValue.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                throw Problem(location, "required", $"must be an array of property names, not {Kind(requiredValue)}");
            }

            required = [.. requiredValue.EnumerateArray().Select(r => r.GetString()!).Distinct(StringComparer.Ordinal)];
        }

        var minProperties = Count(schema, "minProperties", location);
        var maxProperties = Count(schema, "maxProperties", location);
        if (properties is { Count: > 0 } || patterns.Count > 0 || additional is not null || propertyNames is not null || required.Length > 0
            || minProperties is not null || maxProperties is not null)
        {
            checks.Add(new ObjectCheck(properties, [.. patterns], additionalForbidden ? null : additional, additionalForbidden, propertyNames, required, minProperties, maxProperties));
        }

        if (schema.TryGetProperty("dependencies", out var dependenciesValue))
        {
            var dependencies = new List<(string, string[]?, SchemaNode?)>();
            foreach (var (name, dependency) in ObjectOf(dependenciesValue, location, "dependencies"))
            {
                if (dependency.ValueKind == JsonValueKind.Array)
                {
                    if (dependency.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String))
                    {
                        throw Problem(location, "dependencies", $"lists a value that is not a property name under \"{name}\"");
                    }

                    dependencies.Add((name, [.. dependency.EnumerateArray().Select(d => d.GetString()!)], null));
                }
                else
                {
                    dependencies.Add((name, null, Node(dependency, Child(location, "dependencies", name))));
                }
            }

            if (dependencies.Count > 0)
            {
                checks.Add(new DependenciesCheck(dependencies));
            }
        }
    }

    private void AddCombinators(List<SchemaCheck> checks, JsonElement schema, string location)
    {
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            checks.Add(new AllOfCheck(Schemas(allOf, location, "allOf")));
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            checks.Add(new AnyOfCheck(Schemas(anyOf, location, "anyOf")));
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            checks.Add(new OneOfCheck(Schemas(oneOf, location, "oneOf")));
        }

        if (schema.TryGetProperty("not", out var not))
        {
            checks.Add(new NotCheck(Node(not, Child(location, "not"))));
        }

        SchemaNode? then = schema.TryGetProperty("then", out var thenValue) ? Node(thenValue, Child(location, "then")) : null;
        SchemaNode? otherwise = schema.TryGetProperty("else", out var elseValue) ? Node(elseValue, Child(location, "else")) : null;
        if (schema.TryGetProperty("if", out var condition) && (then is not null || otherwise is not null))
        {
            checks.Add(new ConditionalCheck(Node(condition, Child(location, "if")), then, otherwise));
        }
        else if (condition.ValueKind != JsonValueKind.Undefined)
        {
            Node(condition, Child(location, "if"));
        }
    }

    private SchemaNode[] Schemas(JsonElement array, string location, string keyword)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw Problem(location, keyword, $"must be a non-empty array of schemas, not {Kind(array)}");
        }

        return [.. array.EnumerateArray().Select((schema, i) => Node(schema, Child(location, keyword, i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];
    }

    private Regex Regex(string pattern, string location, string keyword)
    {
        if (_regexes.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        regex = Patterns.TryCompile(pattern, out var problem) ?? throw Problem(location, keyword, problem!);
        _regexes[pattern] = regex;
        return regex;
    }

    // References are resolved after the tree is built, so that they may point to schemas compiled later (or to
    // the node being compiled, for recursive schemas). Resolving may compile new schemas with references of their own.
    private void ResolveReferences()
    {
        while (_unresolved.Count > 0)
        {
            var (check, location) = _unresolved[^1];
            _unresolved.RemoveAt(_unresolved.Count - 1);
            var (target, pointer) = Resolve(check.Reference, location);
            check.Target = Node(target, pointer);
        }
    }

    private (JsonElement Target, string Pointer) Resolve(string reference, string location)
    {
        if (reference.Length == 0 || reference[0] != '#' || (reference.Length > 1 && reference[1] != '/'))
        {
            throw Problem(location, "$ref", $"is \"{reference}\"; only references inside the same schema (\"#\" or \"#/definitions/…\") are supported");
        }

        var pointer = Uri.UnescapeDataString(reference);
        var current = _root;
        var canonical = new StringBuilder("#");
        foreach (var token in pointer.Length > 1 ? pointer[2..].Split('/') : [])
        {
            var key = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(key, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                throw Problem(location, "$ref", $"is \"{reference}\", which points to nothing in the schema");
            }

            canonical.Append('/').Append(Escape(key));
        }

        return (current, canonical.ToString());
    }

    // A loop of references and combinators that never goes into a child of the value would never end.
    private void RefuseLoops()
    {
        var state = new Dictionary<SchemaNode, bool>(ReferenceEqualityComparer.Instance);
        foreach (var node in _nodes.Values)
        {
            Visit(node, state);
        }
    }

    private static void Visit(SchemaNode node, Dictionary<SchemaNode, bool> state)
    {
        if (state.TryGetValue(node, out var done))
        {
            if (!done)
            {
                throw new SchemaProblemException($"The \"$ref\" at {node.Location} leads back to itself without going into the data, so it would never end.");
            }

            return;
        }

        state[node] = false;
        foreach (var check in node.Checks)
        {
            foreach (var next in check.SameValueSchemas)
            {
                Visit(next, state);
            }
        }

        state[node] = true;
    }

    private static IEnumerable<(string Name, JsonElement Value)> ObjectOf(JsonElement value, string location, string keyword)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Problem(location, keyword, $"must be an object, not {Kind(value)}");
        }

        return value.EnumerateObject().Select(p => (p.Name, p.Value));
    }

    private static NumberLimit? Number(JsonElement schema, string keyword, string location)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            var hint = value.ValueKind is JsonValueKind.True or JsonValueKind.False && keyword.StartsWith("exclusive", StringComparison.Ordinal)
                ? " (the true/false form is draft-04; in draft-07 it is the limit itself)"
                : "";
            throw Problem(location, keyword, $"must be a number, not {Kind(value)}{hint}");
        }

        return NumberLimit.From(value);
    }

    private static int? Count(JsonElement schema, string keyword, string location)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && JsonText.IsInteger(value) && JsonText.Double(value) >= 0)
        {
            var count = JsonText.Double(value);
            return count >= int.MaxValue ? int.MaxValue : (int)count;
        }

        throw Problem(location, keyword, $"must be a whole number of 0 or more, not {JsonText.Show(value)}");
    }

    private static string Child(string location, string keyword, string? name = null) =>
        name is null ? $"{location}/{keyword}" : $"{location}/{keyword}/{Escape(name)}";

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {JsonText.Show(value)}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static SchemaProblemException Problem(string location, string keyword, string message) =>
        new($"\"{keyword}\" at {location} {message}.");
}
