using System.Globalization;
using System.Text;
using System.Text.Json;
using Junction.Ingest.Debugger;
using Junction.Workspace.Access;

namespace Junction.Web.Destinations.Mappings;

/// <summary>An event to preview a mapping or a filter on: a label for the list and its JSON, indented.</summary>
internal sealed record SampleEvent(string Label, string Json);

/// <summary>
/// The events the previews offer: the source's recent accepted events from the debugger feed (as they were stored,
/// normalized), newest first, and an example track call to start from when the source has received none.
/// </summary>
internal static class SampleEvents
{
    public const int Count = 20;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public const string Example = """
        {
          "type": "track",
          "event": "Order Completed",
          "userId": "user-42",
          "anonymousId": "anon-7",
          "messageId": "msg-example-1",
          "timestamp": "2025-01-15T10:30:00.000Z",
          "properties": {
            "order_id": "ord-1001",
            "revenue": 42.5,
            "currency": "USD",
            "email": "jane@example.com",
            "products": [{ "sku": "sku-1", "price": 42.5, "quantity": 1 }]
          },
          "context": {
            "ip": "203.0.113.9",
            "library": { "name": "analytics.js", "version": "2.11.1" },
            "page": { "url": "https://shop.example.com/checkout" },
            "traits": { "email": "jane@example.com" }
          }
        }
        """;

    /// <summary>
    /// The source's recent accepted events, when the caller may read the source (the debugger's rule); none otherwise.
    /// </summary>
    public static IReadOnlyList<SampleEvent> Recent(DebuggerFeed feed, Principal caller, string sourceId)
    {
        if (!caller.Can(AccessLevel.Read, ResourceKind.Source, sourceId))
        {
            return [];
        }

        var list = new List<SampleEvent>();
        foreach (var entry in feed.Recent(sourceId, DebuggerFeed.Capacity))
        {
            if (entry.Status != DebuggerStatus.Accepted || entry.Normalized.IsEmpty)
            {
                continue;
            }

            var label = $"{entry.Type?.ToString().ToLowerInvariant() ?? "event"} {entry.Name}".Trim()
                + " · " + entry.ReceivedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
            list.Add(new SampleEvent(label, Indent(entry.Normalized.Span)));
            if (list.Count == Count)
            {
                break;
            }
        }

        return list;
    }

    private static string Indent(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(json);
        }
    }

    /// <summary>The pasted or chosen event as JSON, or why it cannot be used.</summary>
    public static (JsonElement? Event, string? Error) Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, "The sample event must be a JSON object, such as {\"type\": \"track\", …}.");
        }
        catch (JsonException e)
        {
            return (null, $"The sample event is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The paths of an event's fields (<c>$.properties.revenue</c>), for the mapping editor's path picker.</summary>
    public static List<string> Paths(JsonElement @event)
    {
        var paths = new List<string>();
        Walk(@event, "$", 0, paths);
        return paths;
    }

    private static void Walk(JsonElement element, string path, int depth, List<string> paths)
    {
        if (element.ValueKind != JsonValueKind.Object || depth > 4)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var child = property.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$')
                ? $"{path}.{property.Name}"
                : $"{path}['{property.Name}']";
            paths.Add(child);
            Walk(property.Value, child, depth + 1, paths);
        }
    }

    /// <summary>Indented JSON for a result shown in a preview.</summary>
    public static string Show(System.Text.Json.Nodes.JsonNode node) => node.ToJsonString(Indented);
}
