using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Events;
using Junction.Protocols.Plans;

namespace Junction.Protocols.Processing;

/// <summary>
/// The changes the Protocols stage makes to an event held as a <see cref="JsonObject"/>: removing a blocked or omitted
/// property, attaching what Protocols found (<c>context.protocols</c> and <c>context.violations</c>), and writing the
/// event back as UTF-8 JSON the way the normalizer writes it.
/// </summary>
internal static class EventEdits
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Removes the value at a dotted path (<c>properties.product.sku</c>); <c>$</c> stands for every item of an array
    /// (<c>properties.products.$.sku</c>). True when something was removed.
    /// </summary>
    public static bool RemovePath(JsonObject root, string path) => Remove(root, path.Split('.'), 0);

    /// <summary>
    /// Removes the top-level child of <paramref name="container"/> (<c>properties</c> or <c>traits</c>) that a field path
    /// names (<c>properties.price</c> → <c>price</c>, <c>properties.product.sku</c> → <c>product</c>, or a child whose
    /// own name has dots when there is one); answers the removed child's name, or null when the field is elsewhere or absent.
    /// </summary>
    public static string? RemoveChildNamedBy(JsonObject root, string container, string field)
    {
        if (!field.StartsWith(container + ".", StringComparison.Ordinal) || root[container] is not JsonObject values)
        {
            return null;
        }

        var rest = field[(container.Length + 1)..];
        if (values.ContainsKey(rest))
        {
            values.Remove(rest);
            return rest;
        }

        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var child = dot < 0 ? rest : rest[..dot];
        return values.Remove(child) ? child : null;
    }

    /// <summary>
    /// Writes <c>context.protocols</c> (<c>sourceId</c>, <c>violations</c>, <c>omitted</c>, <c>omitted_on_violation</c>),
    /// keeping what the client put there (<c>event_version</c>), and <c>context.violations</c>, the same list of violations.
    /// </summary>
    public static void AttachReport(JsonObject root, string sourceId, IReadOnlyList<Violation> violations, IReadOnlyList<string> omitted, IReadOnlyList<string> omittedOnViolation)
    {
        if (root["context"] is not JsonObject context)
        {
            root["context"] = context = [];
        }

        if (context["protocols"] is not JsonObject protocols)
        {
            context["protocols"] = protocols = [];
        }

        protocols["sourceId"] = sourceId;
        protocols["violations"] = List(violations);
        protocols["omitted"] = new JsonArray([.. omitted.Select(o => (JsonNode?)JsonValue.Create(o))]);
        protocols["omitted_on_violation"] = new JsonArray([.. omittedOnViolation.Select(o => (JsonNode?)JsonValue.Create(o))]);
        context["violations"] = List(violations);
    }

    /// <summary>The event as UTF-8 JSON.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The name an event is counted and checked by: <c>event</c> for track, <c>name</c> for page and screen, else null.</summary>
    public static string? NameOf(JsonElement @event, EventType type)
    {
        var property = type switch
        {
            EventType.Track => "event",
            EventType.Page or EventType.Screen => "name",
            _ => null,
        };
        return property is not null && @event.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static JsonArray List(IReadOnlyList<Violation> violations) =>
        new([.. violations.Select(v => (JsonNode?)new JsonObject { ["type"] = v.Type, ["field"] = v.Field, ["description"] = v.Description })]);

    private static bool Remove(JsonNode? node, string[] segments, int index)
    {
        var segment = segments[index];
        var last = index == segments.Length - 1;
        if (segment == "$")
        {
            if (node is not JsonArray items)
            {
                return false;
            }

            if (last)
            {
                var had = items.Count > 0;
                items.Clear();
                return had;
            }

            var removed = false;
            foreach (var item in items)
            {
                removed |= Remove(item, segments, index + 1);
            }

            return removed;
        }

        if (node is not JsonObject values)
        {
            return false;
        }

        return last ? values.Remove(segment) : values.TryGetPropertyValue(segment, out var child) && Remove(child, segments, index + 1);
    }
}
