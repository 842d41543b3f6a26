namespace Junction.Protocols.Transformations;

/// <summary>
/// A property rename: <c>orderId</c> → <c>order_id</c> (paths under <c>properties</c>, <c>traits</c> or <c>context</c>;
/// dots nest, <c>\.</c> is a literal dot; a path without one of those roots is read under <c>properties</c>, or
/// <c>traits</c> for identify and group calls).
/// </summary>
internal sealed record PropertyRename(string OldName, string NewName);

/// <summary>Sets fields to a static value.</summary>
internal sealed record PropertyValueTransformation(IReadOnlyList<string> PropertyPaths, string PropertyValue);

/// <summary>Sets a field to the value of an FQL expression evaluated on the event (<c>lowercase(properties.email)</c>).</summary>
internal sealed record FqlDefinedProperty(string Fql, string PropertyName);

/// <summary>
/// A transformation in Segment's shape (<c>TransformationV1</c>): scoped to a source and optionally to one catalog
/// destination (<see cref="DestinationMetadataId"/>); applied to events matching the FQL condition <see cref="If"/>.
/// </summary>
internal sealed record TransformationDefinition(
    string Id,
    string Name,
    string SourceId,
    string? DestinationMetadataId,
    bool Enabled,
    string If,
    bool Drop,
    string? NewEventName,
    IReadOnlyList<PropertyRename> PropertyRenames,
    IReadOnlyList<PropertyValueTransformation> PropertyValueTransformations,
    IReadOnlyList<FqlDefinedProperty> FqlDefinedProperties);

/// <summary>What a transformation did to one event.</summary>
internal enum TransformOutcome
{
    /// <summary>The condition did not match, or the transformation had nothing to change: the event is as it was.</summary>
    Skipped,

    /// <summary>The event was changed in place.</summary>
    Changed,

    /// <summary>The transformation drops matching events.</summary>
    Dropped,
}
