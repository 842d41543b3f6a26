using System.Text.Json;
using System.Text.Json.Nodes;

namespace Junction.Mapping;

/// <summary>
/// Writes an evaluated value as the action's payload: undefined members are left out at every depth, undefined
/// array items become null (as <c>JSON.stringify</c> writes them), and nothing in the result refers to the
/// event's <see cref="JsonDocument"/>, so the caller may dispose it.
/// </summary>
internal static class PayloadWriter
{
    public static JsonObject ToObject(MappingValue value)
    {
        if (value.Kind == ValueKind.Object)
        {
            return FromBuilt(value.BuiltObject);
        }

        return value.Kind == ValueKind.Json && value.Json.ValueKind == JsonValueKind.Object
            ? (JsonObject)FromElement(value.Json)!
            : [];
    }

    private static JsonNode? ToNode(MappingValue value) => value.Kind switch
    {
        ValueKind.Undefined => null,
        ValueKind.String => JsonValue.Create(value.BuiltString),
        ValueKind.Object => FromBuilt(value.BuiltObject),
        ValueKind.Array => FromItems(value.BuiltArray),
        _ => FromElement(value.Json),
    };

    private static JsonObject FromBuilt(MappingObject members)
    {
        var result = new JsonObject();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members.ValueAt(i);
            if (!member.IsUndefined)
            {
                result[members.KeyAt(i)] = ToNode(member);
            }
        }

        return result;
    }

    private static JsonArray FromItems(MappingValue[] items)
    {
        var result = new JsonArray();
        foreach (var item in items)
        {
            result.Add(ToNode(item));
        }

        return result;
    }

    private static JsonNode? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var member in element.EnumerateObject())
                {
                    // A repeated key keeps its first position and its last value, as JSON.parse does.
                    result[member.Name] = FromElement(member.Value);
                }

                return result;
            case JsonValueKind.Array:
                var items = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(FromElement(item));
                }

                return items;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString());
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    return JsonValue.Create(integer);
                }

                // Other numbers are doubles, as in JavaScript; a number too large for one is written as null.
                return element.TryGetDouble(out var number) && double.IsFinite(number) ? JsonValue.Create(number) : null;
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }
}
