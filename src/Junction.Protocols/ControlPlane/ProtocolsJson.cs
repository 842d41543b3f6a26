using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Junction.Protocols.Controls;
using Junction.Protocols.Transformations;

namespace Junction.Protocols.ControlPlane;

/// <summary>A tracking plan as the Public API shows it (Segment's <c>TrackingPlanV1</c>).</summary>
internal sealed record TrackingPlanV1(
    string Id,
    string Name,
    string Slug,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string Type,
    string CreatedAt,
    string UpdatedAt)
{
    public static TrackingPlanV1 From(TrackingPlanView plan) =>
        new(plan.Id, plan.Name, plan.Slug, plan.Description, plan.Type, ProtocolsJson.Iso(plan.CreatedAt), ProtocolsJson.Iso(plan.UpdatedAt));
}

/// <summary>A rule as the Public API shows it (Segment's <c>RuleV1</c>); <c>key</c> is left out for rules without one.</summary>
internal sealed record RuleV1(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    JsonElement JsonSchema,
    int Version,
    string CreatedAt,
    string UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeprecatedAt)
{
    public static RuleV1 From(RuleView rule) => new(
        RuleTypes.Name(rule.Type),
        rule.Key,
        rule.JsonSchema,
        rule.Version,
        ProtocolsJson.Iso(rule.CreatedAt),
        ProtocolsJson.Iso(rule.UpdatedAt),
        rule.DeprecatedAt is { } deprecated ? ProtocolsJson.Iso(deprecated) : null);
}

/// <summary>One change in a rule's history, in Junction's own shape.</summary>
internal sealed record RuleRevisionV1(
    string RuleId,
    int Revision,
    string Change,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousKey,
    int Version,
    JsonElement JsonSchema,
    string ChangedAt,
    ChangedByV1 ChangedBy)
{
    public static RuleRevisionV1 From(RuleRevisionView revision) => new(
        revision.RuleId,
        revision.Revision,
        revision.Change,
        RuleTypes.Name(revision.Type),
        revision.Key,
        revision.PreviousKey,
        revision.Version,
        revision.JsonSchema,
        ProtocolsJson.Iso(revision.ChangedAt),
        new ChangedByV1(revision.ActorType, revision.ActorId, revision.ActorName));
}

/// <summary>Who made a change: a <c>USER</c> or a <c>TOKEN</c>, its id and its name.</summary>
internal sealed record ChangedByV1(string Type, string Id, string Name);

/// <summary>
/// A transformation as the Public API shows it (Segment's <c>TransformationV1</c>), with <c>drop</c> as Segment's
/// documentation describes it; optional fields left out when not set.
/// </summary>
internal sealed record TransformationV1(
    string Id,
    string Name,
    string SourceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DestinationMetadataId,
    bool Enabled,
    string If,
    bool Drop,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NewEventName,
    IReadOnlyList<PropertyRename> PropertyRenames,
    IReadOnlyList<PropertyValueTransformation> PropertyValueTransformations,
    IReadOnlyList<FqlDefinedProperty> FqlDefinedProperties)
{
    public static TransformationV1 From(TransformationView view)
    {
        var d = view.Definition;
        return new TransformationV1(
            d.Id, d.Name, d.SourceId, d.DestinationMetadataId, d.Enabled, d.If, d.Drop, d.NewEventName,
            d.PropertyRenames, d.PropertyValueTransformations, d.FqlDefinedProperties);
    }
}

/// <summary>A source's schema controls as the Public API shows them (Segment's <c>SourceSettingsOutputV1</c> with its <c>sourceId</c>).</summary>
internal sealed record SchemaSettingsV1(string SourceId, SourceSettingsV1 Settings)
{
    public static SchemaSettingsV1 From(SchemaSettingsView view)
    {
        var s = view.Settings;
        return new SchemaSettingsV1(view.SourceId, new SourceSettingsV1(
            new TrackSettingsV1(
                s.Track.AllowUnplannedEvents,
                s.Track.AllowUnplannedEventProperties,
                s.Track.AllowEventOnViolations,
                s.Track.AllowPropertiesOnViolations,
                SchemaSettingsRows.Name(s.Track.CommonEventOnViolations, traits: false)),
            TraitsSettingsV1.From(s.Identify),
            TraitsSettingsV1.From(s.Group),
            s.ForwardingViolationsTo,
            s.ForwardingBlockedEventsTo));
    }
}

/// <summary>Segment's <c>SourceSettingsOutputV1</c>; a forwarding target is left out when forwarding is off.</summary>
internal sealed record SourceSettingsV1(
    TrackSettingsV1 Track,
    TraitsSettingsV1 Identify,
    TraitsSettingsV1 Group,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ForwardingViolationsTo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ForwardingBlockedEventsTo);

/// <summary>Segment's <c>TrackSourceSettingsV1</c>.</summary>
internal sealed record TrackSettingsV1(
    bool AllowUnplannedEvents,
    bool AllowUnplannedEventProperties,
    bool AllowEventOnViolations,
    bool AllowPropertiesOnViolations,
    string CommonEventOnViolations);

/// <summary>Segment's <c>IdentifySourceSettingsV1</c> and <c>GroupSourceSettingsV1</c>.</summary>
internal sealed record TraitsSettingsV1(bool AllowUnplannedTraits, bool AllowTraitsOnViolations, string CommonEventOnViolations)
{
    public static TraitsSettingsV1 From(TraitsControls controls) =>
        new(controls.AllowUnplannedTraits, controls.AllowTraitsOnViolations, SchemaSettingsRows.Name(controls.CommonEventOnViolations, traits: true));
}

internal static class ProtocolsJson
{
    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A whole number of at least 1 from a JSON number, or null.</summary>
    public static int? PositiveInt(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1 ? number : null;
}
