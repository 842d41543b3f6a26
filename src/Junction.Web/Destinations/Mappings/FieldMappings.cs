using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Mapping;

namespace Junction.Web.Destinations.Mappings;

/// <summary>How a mapping field is filled in the editor.</summary>
internal enum FieldSource
{
    /// <summary>A path into the event, such as <c>$.properties.revenue</c> (an <c>@path</c> directive).</summary>
    Path,

    /// <summary>A fixed value, typed as text (numbers and true/false for fields of those types).</summary>
    Value,

    /// <summary>Any value or directive written as JSON (<c>@template</c>, <c>@if</c>, objects…).</summary>
    Json,

    /// <summary>Left out of the mapping.</summary>
    Empty,
}

/// <summary>One field of the action's mapping as the editor holds it.</summary>
internal sealed class FieldEntry(ActionField field)
{
    public ActionField Field { get; } = field;

    public FieldSource Source { get; set; } = FieldSource.Empty;

    public string Text { get; set; } = "";

    /// <summary>The engine's message for this field, after the last check.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// A mapping object and the editor's field entries, both ways. Each of the action's fields is shown as a path, a value
/// or JSON, whichever shows its mapping most plainly; keys of the mapping that are not fields of the action are kept
/// as they are. The mapping engine (<see cref="CompiledMapping"/>) decides what is valid.
/// </summary>
internal static class FieldMappings
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The entries for an action's fields, filled from a mapping (a new mapping is the action's defaults).</summary>
    public static List<FieldEntry> Read(ActionDefinition action, JsonObject mapping) =>
        [.. action.Fields.Select(field => Entry(field, mapping[field.Key]))];

    private static FieldEntry Entry(ActionField field, JsonNode? value)
    {
        var entry = new FieldEntry(field);
        switch (value)
        {
            case null:
                entry.Source = FieldSource.Empty;
                break;
            case JsonObject { Count: 1 } directive when directive["@path"] is JsonValue path && path.TryGetValue<string>(out var text):
                (entry.Source, entry.Text) = (FieldSource.Path, text);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String && FixedIsPlain(field.Type, scalar.GetValue<string>()):
                (entry.Source, entry.Text) = (FieldSource.Value, scalar.GetValue<string>());
                break;
            case JsonValue scalar when scalar.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                && field.Type is FieldType.Number or FieldType.Integer or FieldType.Boolean:
                (entry.Source, entry.Text) = (FieldSource.Value, scalar.ToJsonString());
                break;
            default:
                (entry.Source, entry.Text) = (FieldSource.Json, value.ToJsonString(Indented));
                break;
        }

        return entry;
    }

    /// <summary>
    /// Text typed as the value of a number or true/false field would be read back as a number or a boolean; a string
    /// that looks like one is shown as JSON so that it stays a string.
    /// </summary>
    private static bool FixedIsPlain(FieldType type, string text) => type switch
    {
        FieldType.Number or FieldType.Integer => !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        FieldType.Boolean => text is not ("true" or "false"),
        _ => true,
    };

    /// <summary>
    /// The mapping the entries make, over <paramref name="original"/> (whose keys that are not fields are kept), or
    /// null when an entry's JSON cannot be read (that entry's <see cref="FieldEntry.Error"/> says why).
    /// </summary>
    public static JsonObject? Write(IEnumerable<FieldEntry> entries, JsonObject original)
    {
        var list = entries.ToList();
        var mapping = new JsonObject();
        foreach (var (key, value) in original)
        {
            if (!list.Any(e => e.Field.Key == key))
            {
                mapping[key] = value?.DeepClone();
            }
        }

        var valid = true;
        foreach (var entry in list)
        {
            entry.Error = null;
            switch (entry.Source)
            {
                case FieldSource.Path:
                    mapping[entry.Field.Key] = new JsonObject { ["@path"] = entry.Text.Trim() };
                    break;
                case FieldSource.Value:
                    mapping[entry.Field.Key] = Fixed(entry.Field.Type, entry.Text);
                    break;
                case FieldSource.Json:
                    try
                    {
                        mapping[entry.Field.Key] = JsonNode.Parse(entry.Text);
                    }
                    catch (JsonException e)
                    {
                        entry.Error = $"This is not valid JSON: {e.Message}";
                        valid = false;
                    }

                    break;
            }
        }

        return valid ? mapping : null;
    }

    private static JsonNode? Fixed(FieldType type, string text) => type switch
    {
        FieldType.Number or FieldType.Integer when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            => JsonValue.Create(number),
        FieldType.Boolean when text.Trim() is "true" or "false" => JsonValue.Create(text.Trim() == "true"),
        _ => JsonValue.Create(text),
    };

    /// <summary>
    /// Compiles the mapping and puts each of the engine's errors on the field it names (the first step of its JSON
    /// pointer); errors of no field are returned.
    /// </summary>
    public static (CompiledMapping? Mapping, List<string> OtherErrors) Check(JsonObject mapping, IReadOnlyList<FieldEntry> entries)
    {
        var compiled = CompiledMapping.Compile(JsonSerializer.SerializeToElement(mapping));
        var other = new List<string>();
        foreach (var error in compiled.Errors)
        {
            var key = error.Path.TrimStart('/').Split('/')[0].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (entries.FirstOrDefault(e => e.Field.Key == key) is { } entry)
            {
                entry.Error ??= error.Path == "/" + error.Path.TrimStart('/').Split('/')[0] ? error.Message : $"{error.Path}: {error.Message}";
            }
            else
            {
                other.Add(error.ToString());
            }
        }

        return (compiled.Mapping, other);
    }
}
