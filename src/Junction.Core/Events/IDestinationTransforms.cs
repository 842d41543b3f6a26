using System.Text.Json;

namespace Junction.Events;

/// <summary>What a destination-scoped transformation did to one event.</summary>
internal enum DestinationTransformOutcome
{
    /// <summary>No transformation applies to this source and destination, or none matched: the event goes on as it was.</summary>
    None,

    /// <summary>The event was changed; <see cref="DestinationTransformResult.Event"/> holds the new one.</summary>
    Changed,

    /// <summary>A transformation drops the event for this destination; <see cref="DestinationTransformResult.Reason"/> says which.</summary>
    Dropped,
}

/// <summary>The answer of <see cref="IDestinationTransforms"/> for one event and one destination.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Event">The changed event (valid after the call, owned by nobody) when <see cref="DestinationTransformOutcome.Changed"/>.</param>
/// <param name="Reason">Why it was dropped, in words for the delivery trace, when <see cref="DestinationTransformOutcome.Dropped"/>.</param>
internal readonly record struct DestinationTransformResult(DestinationTransformOutcome Outcome, JsonElement Event = default, string? Reason = null)
{
    public static DestinationTransformResult None => default;
}

/// <summary>
/// Transformations scoped to one destination (Segment's destination-scoped transformations): the fan-out asks, after a
/// destination's filters and before its triggers and mappings (Segment's order), what the event becomes for that
/// destination. Keyed by the catalog id of the destination, so that every instance of the same destination on a
/// source gets the same transformation. Must be cheap when nothing applies (called per event and destination).
/// </summary>
internal interface IDestinationTransforms
{
    /// <summary>The event <paramref name="event"/> of <paramref name="sourceId"/> as destination <paramref name="destinationMetadataId"/> should get it.</summary>
    DestinationTransformResult Apply(string sourceId, string destinationMetadataId, JsonElement @event);
}
