using System.Text.Json.Nodes;

namespace Junction.Fql;

internal sealed partial class DestinationFilterSet
{
    /// <summary>
    /// Runs a <c>DROP_PROPERTIES</c> or <c>ALLOW_PROPERTIES</c> action. Each object path is followed from the top
    /// of the event; where it meets an array it continues into every element, so <c>properties.products</c> with
    /// key <c>price</c> removes the price of every product. Paths that lead nowhere change nothing.
    /// </summary>
    private static void ApplyFields(JsonObject @event, CompiledAction action)
    {
        var allow = action.Type == DestinationFilterActionType.AllowProperties;
        foreach (var (path, keys) in action.Fields)
        {
            Visit(@event, path.Segments, 0, keys, allow);
        }
    }

    private static void Visit(JsonNode? node, IReadOnlyList<string> segments, int depth, HashSet<string> keys, bool allow)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Visit(item, segments, depth, keys, allow);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        if (depth < segments.Count)
        {
            if (obj.TryGetPropertyValue(segments[depth], out var child))
            {
                Visit(child, segments, depth + 1, keys, allow);
            }

            return;
        }

        if (!allow)
        {
            foreach (var key in keys)
            {
                obj.Remove(key);
            }

            return;
        }

        List<string>? removed = null;
        foreach (var (key, _) in obj)
        {
            if (!keys.Contains(key))
            {
                (removed ??= []).Add(key);
            }
        }

        foreach (var key in removed ?? [])
        {
            obj.Remove(key);
        }
    }
}
