using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Transformations;

namespace Junction.Protocols.Processing;

/// <summary>
/// Everything the processor needs to apply Protocols to a source's events: its tracking plan compiled (null when none
/// is connected), its schema controls and its enabled transformations compiled, source-scoped ones and, by catalog
/// destination id, destination-scoped ones. Immutable: a change makes a new instance.
/// </summary>
internal sealed record SourceProtocols(
    string SourceId,
    string? TrackingPlanId,
    string? TrackingPlanName,
    CompiledPlan? Plan,
    SourceSchemaSettings Settings,
    IReadOnlyList<CompiledTransformation> SourceTransformations,
    IReadOnlyDictionary<string, IReadOnlyList<CompiledTransformation>> DestinationTransformations);

/// <summary>The Protocols configuration of every source, for the processor. Implemented over the control plane with an in-memory snapshot.</summary>
internal interface IProtocolsDirectory
{
    /// <summary>A source's configuration, or null when it has no plan, no transformations and default controls. Cheap: called per event.</summary>
    SourceProtocols? ForSource(string sourceId);
}
