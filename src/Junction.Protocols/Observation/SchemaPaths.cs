using System.Runtime.InteropServices;
using System.Text.Json;

namespace Junction.Protocols.Observation;

/// <summary>The JSON types the schema view tells apart, as bits so that every type seen for a path fits in one number.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    String = 1,
    Integer = 2,
    Number = 4,
    Boolean = 8,
    Object = 16,
    Array = 32,
    Null = 64,
}

/// <summary>
/// Lists the property (or trait) paths of an event and the JSON type of each, as the schema view shows them:
/// <c>properties.price</c>, <c>properties.product.sku</c>, array items as <c>properties.products.$</c> and their fields as
/// <c>properties.products.$.sku</c> (Segment's notation). Paths go at most <see cref="MaxDepth"/> names below
/// <c>properties</c> or <c>traits</c>, at most <see cref="MaxArrayItems"/> items of an array are looked at, and at most
/// a given number of paths are listed per event, so that observing a sampled event costs a bounded amount of work.
/// </summary>
internal static class SchemaPaths
{
    public const int MaxDepth = 4;
    public const int MaxArrayItems = 10;

    private static readonly (JsonTypes Bit, string Name)[] TypeNames =
    [
        (JsonTypes.String, "string"),
        (JsonTypes.Integer, "integer"),
        (JsonTypes.Number, "number"),
        (JsonTypes.Boolean, "boolean"),
        (JsonTypes.Object, "object"),
        (JsonTypes.Array, "array"),
        (JsonTypes.Null, "null"),
    ];

    /// <summary>The object of an event the schema view lists: <c>properties</c> for track, page and screen, <c>traits</c> for identify and group; null for alias.</summary>
    public static string? RootOf(string type) => type switch
    {
        "track" or "page" or "screen" => "properties",
        "identify" or "group" => "traits",
        _ => null,
    };

    /// <summary>Adds every path of <paramref name="event"/>'s root object (see <see cref="RootOf"/>) to <paramref name="into"/>, merging types.</summary>
    public static void Collect(JsonElement @event, string type, Dictionary<string, JsonTypes> into, int maxPaths)
    {
        if (RootOf(type) is not { } root || @event.ValueKind != JsonValueKind.Object
            || !@event.TryGetProperty(root, out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        Walk(values, root, 0, into, maxPaths);
    }

    /// <summary>The type bit of one JSON value; a number is an integer when its text has no fraction or exponent.</summary>
    public static JsonTypes TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => JsonTypes.String,
        JsonValueKind.Number => JsonMarshal.GetRawUtf8Value(value).IndexOfAny("eE."u8) < 0 ? JsonTypes.Integer : JsonTypes.Number,
        JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
        JsonValueKind.Object => JsonTypes.Object,
        JsonValueKind.Array => JsonTypes.Array,
        _ => JsonTypes.Null,
    };

    /// <summary>The type names of a set of type bits, in a fixed order (<c>string</c>, <c>integer</c>, <c>number</c>, …).</summary>
    public static IReadOnlyList<string> Names(JsonTypes types)
    {
        var names = new List<string>(2);
        foreach (var (bit, name) in TypeNames)
        {
            if ((types & bit) != 0)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static void Walk(JsonElement value, string prefix, int depth, Dictionary<string, JsonTypes> into, int maxPaths)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                Add(property.Value, prefix + "." + property.Name, depth + 1, into, maxPaths);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var taken = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (taken++ == MaxArrayItems)
                {
                    break;
                }

                Add(item, prefix + ".$", depth + 1, into, maxPaths);
            }
        }
    }

    private static void Add(JsonElement value, string path, int depth, Dictionary<string, JsonTypes> into, int maxPaths)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        var type = TypeOf(value);
        if (into.TryGetValue(path, out var seen))
        {
            into[path] = seen | type;
        }
        else if (into.Count < maxPaths)
        {
            into[path] = type;
        }
        else
        {
            return;
        }

        if (type is JsonTypes.Object or JsonTypes.Array)
        {
            Walk(value, path, depth, into, maxPaths);
        }
    }
}
