using System.Text.Json;
using System.Text.RegularExpressions;

namespace Junction.Protocols.Plans.Schema;

/// <summary>A <c>patternProperties</c> entry: properties whose names match the pattern must pass the schema.</summary>
internal sealed record PatternProperty(Regex Pattern, string Text, SchemaNode Schema);

/// <summary>
/// The object keywords in one pass over the event's properties: <c>properties</c> (looked up by name in a
/// dictionary, without allocating the name), <c>patternProperties</c>, <c>additionalProperties</c>,
/// <c>propertyNames</c>, <c>minProperties</c> and <c>maxProperties</c>; then <c>required</c>.
/// </summary>
internal sealed class ObjectCheck : SchemaCheck
{
    private readonly Dictionary<string, SchemaNode>? _properties;
    private readonly Dictionary<string, SchemaNode>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly PatternProperty[] _patterns;
    private readonly SchemaNode? _additional;
    private readonly bool _additionalForbidden;
    private readonly SchemaNode? _propertyNames;
    private readonly string[] _required;
    private readonly int? _minProperties;
    private readonly int? _maxProperties;
    private readonly bool _walksProperties;

    public ObjectCheck(
        IReadOnlyDictionary<string, SchemaNode>? properties,
        PatternProperty[] patterns,
        SchemaNode? additional,
        bool additionalForbidden,
        SchemaNode? propertyNames,
        string[] required,
        int? minProperties,
        int? maxProperties)
    {
        if (properties is { Count: > 0 })
        {
            _properties = new Dictionary<string, SchemaNode>(properties, StringComparer.Ordinal);
            _lookup = _properties.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        _patterns = patterns;
        _additional = additional is { AcceptsAll: true } ? null : additional;
        _additionalForbidden = additionalForbidden;
        _propertyNames = propertyNames is { AcceptsAll: true } ? null : propertyNames;
        _required = required;
        _minProperties = minProperties;
        _maxProperties = maxProperties;
        _walksProperties = _properties is not null || patterns.Length > 0 || _additional is not null || additionalForbidden
            || _propertyNames is not null || minProperties is not null || maxProperties is not null;
    }

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var valid = !_walksProperties || WalkProperties(instance, run);
        if (!valid && !run.Collecting)
        {
            return false;
        }

        foreach (var name in _required)
        {
            if (!instance.TryGetProperty(name, out _))
            {
                run.ReportChild(name, ViolationTypes.Required, " is required");
                valid = false;
                if (!run.Collecting)
                {
                    return false;
                }
            }
        }

        return valid;
    }

    private bool WalkProperties(JsonElement instance, SchemaRun run)
    {
        var valid = true;
        var count = 0;
        Span<char> scratch = stackalloc char[JsonText.Scratch];
        foreach (var property in instance.EnumerateObject())
        {
            count++;
            if (_properties is null && _patterns.Length == 0 && _additional is null && !_additionalForbidden && _propertyNames is null)
            {
                continue;
            }

            var name = JsonText.Name(property, scratch);
            var planned = false;
            if (_properties is not null && _lookup.TryGetValue(name, out var schema))
            {
                planned = true;
                if (!Child(schema, property, run))
                {
                    valid = false;
                    if (!run.Collecting)
                    {
                        return false;
                    }
                }
            }

            foreach (var pattern in _patterns)
            {
                if (Patterns.IsMatch(pattern.Pattern, name))
                {
                    planned = true;
                    if (!Child(pattern.Schema, property, run))
                    {
                        valid = false;
                        if (!run.Collecting)
                        {
                            return false;
                        }
                    }
                }
            }

            if (!planned && (_additional is not null || _additionalForbidden))
            {
                if (_additionalForbidden)
                {
                    run.Push(property);
                    run.Report(ViolationTypes.InvalidValue, $"Additional property {JsonText.NameOf(property)} is not allowed");
                    run.Pop();
                    valid = false;
                }
                else if (!Child(_additional!, property, run))
                {
                    valid = false;
                }

                if (!valid && !run.Collecting)
                {
                    return false;
                }
            }

            if (_propertyNames is not null && !NameIsValid(JsonText.NameOf(property), run))
            {
                run.Push(property);
                run.Report(ViolationTypes.InvalidValue, $"Property name \"{JsonText.NameOf(property)}\" does not match the \"propertyNames\" schema");
                run.Pop();
                valid = false;
                if (!run.Collecting)
                {
                    return false;
                }
            }
        }

        if (count < _minProperties)
        {
            run.Report(ViolationTypes.InvalidLength, $"Must have at least {_minProperties} properties");
            valid = false;
        }
        else if (count > _maxProperties)
        {
            run.Report(ViolationTypes.InvalidLength, $"Must have at most {_maxProperties} properties");
            valid = false;
        }

        return valid;
    }

    private static bool Child(SchemaNode schema, JsonProperty property, SchemaRun run)
    {
        if (schema.AcceptsAll)
        {
            return true;
        }

        run.Push(property);
        var valid = schema.Validate(property.Value, run);
        run.Pop();
        return valid;
    }

    // propertyNames validates each name as a string value; names are rare enough here to be wrapped in a document.
    private bool NameIsValid(string name, SchemaRun run)
    {
        using var document = JsonDocument.Parse(JsonSerializerHelpers.Quote(name));
        run.BeginQuiet();
        try
        {
            return _propertyNames!.Validate(document.RootElement, run);
        }
        finally
        {
            run.EndQuiet();
        }
    }
}

/// <summary>Builds JSON text for single values.</summary>
internal static class JsonSerializerHelpers
{
    /// <summary>A string as a JSON string literal.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, SchemaJsonContext.Default.String);
}

/// <summary>Source-generated serialization of the few values the validator writes.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SchemaJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
