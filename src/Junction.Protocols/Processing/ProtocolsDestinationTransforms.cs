using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Events;
using Junction.Protocols.Transformations;

namespace Junction.Protocols.Processing;

/// <summary>
/// Destination-scoped transformations for the fan-out, from <see cref="SourceProtocols.DestinationTransformations"/>:
/// those of the source for the destination's catalog id run in their order on a copy of the event; the first that
/// drops it drops it for that destination. Nothing applies (and nothing is copied) when the source has none for that
/// destination, which costs two dictionary lookups.
/// </summary>
internal sealed class ProtocolsDestinationTransforms(IProtocolsDirectory directory) : IDestinationTransforms
{
    public DestinationTransformResult Apply(string sourceId, string destinationMetadataId, JsonElement @event)
    {
        if (directory.ForSource(sourceId) is not { } protocols
            || !protocols.DestinationTransformations.TryGetValue(destinationMetadataId, out var transformations)
            || transformations.Count == 0
            || JsonObject.Create(@event) is not { } node)
        {
            return DestinationTransformResult.None;
        }

        var changed = false;
        foreach (var transformation in transformations)
        {
            switch (transformation.Apply(node))
            {
                case TransformOutcome.Dropped:
                    return new DestinationTransformResult(
                        DestinationTransformOutcome.Dropped, Reason: $"The transformation \"{transformation.Definition.Name}\" drops matching events for this destination.");
                case TransformOutcome.Changed:
                    changed = true;
                    break;
            }
        }

        return changed
            ? new DestinationTransformResult(DestinationTransformOutcome.Changed, JsonSerializer.Deserialize<JsonElement>(EventEdits.Serialize(node)))
            : DestinationTransformResult.None;
    }
}
