using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Fql;
using Junction.Workspace;
using Junction.Workspace.Data;

namespace Junction.Destinations.ControlPlane;

/// <summary>
/// Destination filter actions (Segment's <c>DestinationFilterActionV1</c>: <c>{type, percent?, path?, fields?}</c>)
/// read from a request, stored, and read back into the filter engine's <see cref="DestinationFilter"/>.
/// </summary>
internal static class DestinationFilterJson
{
    /// <summary>Reads an <c>actions</c> array; the problem names the first input of the wrong shape.</summary>
    public static Outcome<List<DestinationFilterAction>> ReadActions(JsonElement actions)
    {
        var read = new List<DestinationFilterAction>();
        var index = 0;
        foreach (var item in actions.EnumerateArray())
        {
            var field = $"actions[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Problem.Invalid($"{field} must be an object such as {{\"type\": \"DROP\"}}.", field);
            }

            if (!item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Problem.Invalid($"{field}.type is required: DROP, SAMPLE, DROP_PROPERTIES or ALLOW_PROPERTIES.", field + ".type");
            }

            double? percent = null;
            if (item.TryGetProperty("percent", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Number)
                {
                    return Problem.Invalid($"{field}.percent must be a number from 0 to 1.", field + ".percent");
                }

                percent = p.GetDouble();
            }

            string? path = null;
            if (item.TryGetProperty("path", out var pathValue) && pathValue.ValueKind != JsonValueKind.Null)
            {
                if (pathValue.ValueKind != JsonValueKind.String)
                {
                    return Problem.Invalid($"{field}.path must be a string.", field + ".path");
                }

                path = pathValue.GetString();
            }

            Dictionary<string, IReadOnlyList<string>>? fields = null;
            if (item.TryGetProperty("fields", out var f) && f.ValueKind != JsonValueKind.Null)
            {
                const string Shape = "an object of object paths to lists of keys, such as {\"properties\": [\"email\"]}";
                if (f.ValueKind != JsonValueKind.Object)
                {
                    return Problem.Invalid($"{field}.fields must be {Shape}.", field + ".fields");
                }

                fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var entry in f.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.EnumerateArray().Any(k => k.ValueKind != JsonValueKind.String))
                    {
                        return Problem.Invalid($"{field}.fields must be {Shape}.", field + ".fields");
                    }

                    fields[entry.Name] = entry.Value.EnumerateArray().Select(k => k.GetString()!).ToList();
                }
            }

            read.Add(new DestinationFilterAction { Type = type.GetString()!, Percent = percent, Path = path, Fields = fields });
        }

        return read;
    }

    /// <summary>The actions as stored and as the Public API shows them; absent members are left out.</summary>
    public static JsonArray Write(IEnumerable<DestinationFilterAction> actions)
    {
        var array = new JsonArray();
        foreach (var action in actions)
        {
            var item = new JsonObject { ["type"] = action.Type };
            if (action.Fields is { } fields)
            {
                var map = new JsonObject();
                foreach (var (objectPath, keys) in fields)
                {
                    map[objectPath] = new JsonArray([.. keys.Select(k => (JsonNode?)JsonValue.Create(k))]);
                }

                item["fields"] = map;
            }

            if (action.Percent is { } percent)
            {
                item["percent"] = percent;
            }

            if (action.Path is { } path)
            {
                item["path"] = path;
            }

            array.Add(item);
        }

        return array;
    }

    /// <summary>A stored filter as the filter engine takes it.</summary>
    public static DestinationFilter ToDefinition(DestinationFilterEntity filter) => new()
    {
        Id = filter.Id,
        Title = filter.Title,
        If = filter.If,
        Enabled = filter.Enabled,
        Actions = ReadActions(JsonSerializer.Deserialize<JsonElement>(filter.ActionsJson)).Value ?? [],
    };
}
