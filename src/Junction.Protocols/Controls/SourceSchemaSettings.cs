namespace Junction.Protocols.Controls;

/// <summary>What to do with an event that fails the plan's common JSON schema (Segment's <c>commonEventOnViolations</c>).</summary>
internal enum CommonViolationAction
{
    Allow,
    Block,

    /// <summary><c>OMIT_PROPERTIES</c> for track, <c>OMIT_TRAITS</c> for identify and group.</summary>
    Omit,
}

/// <summary>Schema controls for track calls (and, in Junction, page and screen calls), in Segment's names.</summary>
internal sealed record TrackControls(
    bool AllowUnplannedEvents = true,
    bool AllowUnplannedEventProperties = true,
    bool AllowEventOnViolations = true,
    bool AllowPropertiesOnViolations = true,
    CommonViolationAction CommonEventOnViolations = CommonViolationAction.Allow);

/// <summary>Schema controls for identify or group calls, in Segment's names.</summary>
internal sealed record TraitsControls(
    bool AllowUnplannedTraits = true,
    bool AllowTraitsOnViolations = true,
    CommonViolationAction CommonEventOnViolations = CommonViolationAction.Allow);

/// <summary>
/// A source's schema configuration (Segment's <c>/sources/{id}/settings</c>): the controls per call type and where
/// blocked events and violations are forwarded (a source id, or null for nowhere). The default allows everything.
/// </summary>
internal sealed record SourceSchemaSettings(
    TrackControls Track,
    TraitsControls Identify,
    TraitsControls Group,
    string? ForwardingBlockedEventsTo,
    string? ForwardingViolationsTo)
{
    public static SourceSchemaSettings Default { get; } = new(new TrackControls(), new TraitsControls(), new TraitsControls(), null, null);
}
