using Junction.Protocols.ControlPlane;
using Junction.Protocols.Controls;

namespace Junction.Web.Sources.Schema;

/// <summary>The identify or group controls as the form edits them, in the words of Segment's labels ("Omit …").</summary>
internal sealed class TraitsDraft
{
    public bool OmitUnplannedTraits { get; set; }

    public bool OmitTraitsWithViolations { get; set; }

    public CommonViolationAction Common { get; set; }

    public static TraitsDraft From(TraitsControls controls) => new()
    {
        OmitUnplannedTraits = !controls.AllowUnplannedTraits,
        OmitTraitsWithViolations = !controls.AllowTraitsOnViolations,
        Common = controls.CommonEventOnViolations,
    };

    public TraitsControls ToControls() => new(!OmitUnplannedTraits, !OmitTraitsWithViolations, Common);
}

/// <summary>
/// A source's schema controls as the Schema configuration form edits them: each switch says what it does ("Block
/// unplanned events" is <c>allowUnplannedEvents: false</c>), forwarding targets are a source id or empty for none.
/// </summary>
internal sealed class SchemaSettingsDraft
{
    public bool BlockUnplannedEvents { get; set; }

    public bool OmitUnplannedProperties { get; set; }

    public bool BlockEventsWithViolations { get; set; }

    public bool OmitPropertiesWithViolations { get; set; }

    public CommonViolationAction TrackCommon { get; set; }

    public TraitsDraft Identify { get; set; } = new();

    public TraitsDraft Group { get; set; } = new();

    public string ForwardBlockedTo { get; set; } = "";

    public string ForwardViolationsTo { get; set; } = "";

    public static SchemaSettingsDraft From(SourceSchemaSettings settings) => new()
    {
        BlockUnplannedEvents = !settings.Track.AllowUnplannedEvents,
        OmitUnplannedProperties = !settings.Track.AllowUnplannedEventProperties,
        BlockEventsWithViolations = !settings.Track.AllowEventOnViolations,
        OmitPropertiesWithViolations = !settings.Track.AllowPropertiesOnViolations,
        TrackCommon = settings.Track.CommonEventOnViolations,
        Identify = TraitsDraft.From(settings.Identify),
        Group = TraitsDraft.From(settings.Group),
        ForwardBlockedTo = settings.ForwardingBlockedEventsTo ?? "",
        ForwardViolationsTo = settings.ForwardingViolationsTo ?? "",
    };

    /// <summary>The controls the form shows, to compare with those saved.</summary>
    public SourceSchemaSettings ToSettings() => new(
        new TrackControls(!BlockUnplannedEvents, !OmitUnplannedProperties, !BlockEventsWithViolations, !OmitPropertiesWithViolations, TrackCommon),
        Identify.ToControls(),
        Group.ToControls(),
        ForwardBlockedTo.Length == 0 ? null : ForwardBlockedTo,
        ForwardViolationsTo.Length == 0 ? null : ForwardViolationsTo);

    /// <summary>The whole configuration as a change for <c>UpdateSchemaSettingsAsync</c>: every member given, forwarding off when empty.</summary>
    public SchemaSettingsChanges ToChanges()
    {
        var settings = ToSettings();
        var track = settings.Track;
        return new SchemaSettingsChanges(
            new TrackControlsChanges(track.AllowUnplannedEvents, track.AllowUnplannedEventProperties, track.AllowEventOnViolations,
                track.AllowPropertiesOnViolations, track.CommonEventOnViolations),
            Traits(settings.Identify),
            Traits(settings.Group),
            new Forwarding(settings.ForwardingBlockedEventsTo),
            new Forwarding(settings.ForwardingViolationsTo));
    }

    private static TraitsControlsChanges Traits(TraitsControls controls) =>
        new(controls.AllowUnplannedTraits, controls.AllowTraitsOnViolations, controls.CommonEventOnViolations);
}
