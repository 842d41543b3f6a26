using Junction.Protocols.Controls;
using Junction.Workspace.Data;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Converts between a stored row of schema controls and <see cref="SourceSchemaSettings"/>, and between
/// <see cref="CommonViolationAction"/> and the names Segment uses for it (<c>ALLOW</c>, <c>BLOCK</c>,
/// <c>OMIT_PROPERTIES</c> for track, <c>OMIT_TRAITS</c> for identify and group).
/// </summary>
internal static class SchemaSettingsRows
{
    /// <summary>
    /// The controls a row holds. A forwarding target that is no longer a source of the same workspace (deleted since)
    /// reads as no forwarding, so that the processor never forwards into another workspace.
    /// </summary>
    public static SourceSchemaSettings ToSettings(SourceSchemaSettingsEntity row, string workspaceId, IReadOnlyDictionary<string, string> sourceWorkspaces) => new(
        new TrackControls(
            row.TrackAllowUnplannedEvents,
            row.TrackAllowUnplannedEventProperties,
            row.TrackAllowEventOnViolations,
            row.TrackAllowPropertiesOnViolations,
            Stored(row.TrackCommonEventOnViolations)),
        new TraitsControls(row.IdentifyAllowUnplannedTraits, row.IdentifyAllowTraitsOnViolations, Stored(row.IdentifyCommonEventOnViolations)),
        new TraitsControls(row.GroupAllowUnplannedTraits, row.GroupAllowTraitsOnViolations, Stored(row.GroupCommonEventOnViolations)),
        Target(row.ForwardingBlockedEventsTo, row.SourceId, workspaceId, sourceWorkspaces),
        Target(row.ForwardingViolationsTo, row.SourceId, workspaceId, sourceWorkspaces));

    /// <summary>Writes the controls into a row.</summary>
    public static void Write(SourceSchemaSettings settings, SourceSchemaSettingsEntity row)
    {
        row.TrackAllowUnplannedEvents = settings.Track.AllowUnplannedEvents;
        row.TrackAllowUnplannedEventProperties = settings.Track.AllowUnplannedEventProperties;
        row.TrackAllowEventOnViolations = settings.Track.AllowEventOnViolations;
        row.TrackAllowPropertiesOnViolations = settings.Track.AllowPropertiesOnViolations;
        row.TrackCommonEventOnViolations = Store(settings.Track.CommonEventOnViolations);
        row.IdentifyAllowUnplannedTraits = settings.Identify.AllowUnplannedTraits;
        row.IdentifyAllowTraitsOnViolations = settings.Identify.AllowTraitsOnViolations;
        row.IdentifyCommonEventOnViolations = Store(settings.Identify.CommonEventOnViolations);
        row.GroupAllowUnplannedTraits = settings.Group.AllowUnplannedTraits;
        row.GroupAllowTraitsOnViolations = settings.Group.AllowTraitsOnViolations;
        row.GroupCommonEventOnViolations = Store(settings.Group.CommonEventOnViolations);
        row.ForwardingBlockedEventsTo = settings.ForwardingBlockedEventsTo;
        row.ForwardingViolationsTo = settings.ForwardingViolationsTo;
    }

    /// <summary>Everything a row holds, in one line, for the directory's fingerprint.</summary>
    public static string Describe(SourceSchemaSettingsEntity row) => string.Join(
        ',',
        row.TrackAllowUnplannedEvents, row.TrackAllowUnplannedEventProperties, row.TrackAllowEventOnViolations, row.TrackAllowPropertiesOnViolations,
        row.TrackCommonEventOnViolations, row.IdentifyAllowUnplannedTraits, row.IdentifyAllowTraitsOnViolations, row.IdentifyCommonEventOnViolations,
        row.GroupAllowUnplannedTraits, row.GroupAllowTraitsOnViolations, row.GroupCommonEventOnViolations,
        row.ForwardingBlockedEventsTo, row.ForwardingViolationsTo);

    /// <summary>Segment's name for a common-schema action: <paramref name="traits"/> for identify and group (<c>OMIT_TRAITS</c>).</summary>
    public static string Name(CommonViolationAction action, bool traits) => action switch
    {
        CommonViolationAction.Block => "BLOCK",
        CommonViolationAction.Omit => traits ? "OMIT_TRAITS" : "OMIT_PROPERTIES",
        _ => "ALLOW",
    };

    /// <summary>Reads Segment's name for a common-schema action (any case), or null when it is not one for this call type.</summary>
    public static CommonViolationAction? Parse(string name, bool traits) => name.ToUpperInvariant() switch
    {
        "ALLOW" => CommonViolationAction.Allow,
        "BLOCK" => CommonViolationAction.Block,
        "OMIT_PROPERTIES" when !traits => CommonViolationAction.Omit,
        "OMIT_TRAITS" when traits => CommonViolationAction.Omit,
        _ => null,
    };

    private static string Store(CommonViolationAction action) => action switch
    {
        CommonViolationAction.Block => "BLOCK",
        CommonViolationAction.Omit => "OMIT",
        _ => "ALLOW",
    };

    private static CommonViolationAction Stored(string value) => value switch
    {
        "BLOCK" => CommonViolationAction.Block,
        "OMIT" => CommonViolationAction.Omit,
        _ => CommonViolationAction.Allow,
    };

    private static string? Target(string? target, string sourceId, string workspaceId, IReadOnlyDictionary<string, string> sourceWorkspaces) =>
        target is not null && target != sourceId && sourceWorkspaces.TryGetValue(target, out var targetWorkspace) && targetWorkspace == workspaceId
            ? target
            : null;
}
