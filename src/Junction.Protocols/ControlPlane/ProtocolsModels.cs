using System.Text.Json;
using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Transformations;

namespace Junction.Protocols.ControlPlane;

/// <summary>A tracking plan as callers see it.</summary>
internal sealed record TrackingPlanView(
    string Id,
    string WorkspaceId,
    string Name,
    string Slug,
    string? Description,
    string Type,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The tracking plan a source is connected to, or null when it has none.</summary>
internal sealed record SourcePlanView(string SourceId, TrackingPlanView? Plan);

/// <summary>What a new tracking plan is made of. Only <c>LIVE</c> plans are made.</summary>
internal sealed record NewTrackingPlan(string Name, string? Description = null, string Type = TrackingPlanTypes.Live);

/// <summary>A partial change to a plan: members left null are not changed; an empty description removes it.</summary>
internal sealed record TrackingPlanChanges(string? Name = null, string? Description = null);

/// <summary>Segment's tracking plan types; Junction makes and lists <c>LIVE</c> plans.</summary>
internal static class TrackingPlanTypes
{
    public const string Live = "LIVE";

    public static readonly IReadOnlyList<string> All = ["ENGAGE", Live, "PROPERTY_LIBRARY", "RULE_LIBRARY", "TEMPLATE"];
}

/// <summary>
/// One rule as a caller sends it (Segment's <c>RuleInputV1</c>, or <c>UpsertRuleV1</c> with <see cref="NewKey"/> to
/// rename): <see cref="Key"/> null for the rules that have none.
/// </summary>
internal sealed record RuleInput(RuleType Type, string? Key, int Version, JsonElement JsonSchema, string? NewKey = null);

/// <summary>Names one rule of a plan, as Segment's <c>RemoveRuleV1</c> does.</summary>
internal sealed record RuleRef(RuleType Type, string? Key, int Version);

/// <summary>A rule of a plan as callers see it (Segment's <c>RuleV1</c>).</summary>
internal sealed record RuleView(
    string Id,
    RuleType Type,
    string? Key,
    int Version,
    JsonElement JsonSchema,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeprecatedAt);

/// <summary>
/// One change in a rule's history: the rule's type, key and version after the change, the schema it had from then on
/// (for a deletion, the schema removed), who changed it and when.
/// </summary>
internal sealed record RuleRevisionView(
    string RuleId,
    int Revision,
    string Change,
    RuleType Type,
    string? Key,
    string? PreviousKey,
    int Version,
    JsonElement JsonSchema,
    DateTimeOffset ChangedAt,
    string ActorType,
    string ActorId,
    string ActorName);

/// <summary>What a change to a plan's rules did: the rules made, changed (schema or key) and removed, named <c>TRACK Order Completed v1</c>.</summary>
internal sealed record RulesChange(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted)
{
    public bool IsEmpty => Created.Count == 0 && Updated.Count == 0 && Deleted.Count == 0;
}

/// <summary>What adding rules from a template or an observed schema did: the rules added and those left as the plan had them.</summary>
internal sealed record RulesAdded(IReadOnlyList<string> Added, IReadOnlyList<string> Skipped);

/// <summary>A partial change to a source's schema controls: members left null are not changed.</summary>
internal sealed record SchemaSettingsChanges(
    TrackControlsChanges? Track = null,
    TraitsControlsChanges? Identify = null,
    TraitsControlsChanges? Group = null,
    Forwarding? ForwardingBlockedEventsTo = null,
    Forwarding? ForwardingViolationsTo = null);

/// <summary>Changes to the track controls; null members are not changed.</summary>
internal sealed record TrackControlsChanges(
    bool? AllowUnplannedEvents = null,
    bool? AllowUnplannedEventProperties = null,
    bool? AllowEventOnViolations = null,
    bool? AllowPropertiesOnViolations = null,
    CommonViolationAction? CommonEventOnViolations = null);

/// <summary>Changes to the identify or group controls; null members are not changed.</summary>
internal sealed record TraitsControlsChanges(
    bool? AllowUnplannedTraits = null,
    bool? AllowTraitsOnViolations = null,
    CommonViolationAction? CommonEventOnViolations = null);

/// <summary>A forwarding target to set: a source id, or null to forward nowhere.</summary>
internal sealed record Forwarding(string? SourceId);

/// <summary>A source's schema controls as callers see them.</summary>
internal sealed record SchemaSettingsView(string SourceId, SourceSchemaSettings Settings);

/// <summary>A transformation as callers see it.</summary>
internal sealed record TransformationView(string WorkspaceId, TransformationDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public string Id => Definition.Id;
}

/// <summary>What a new transformation is made of (Segment's <c>CreateTransformationV1Input</c>).</summary>
internal sealed record NewTransformation(
    string Name,
    string SourceId,
    string? DestinationMetadataId,
    bool Enabled,
    string If,
    bool Drop = false,
    string? NewEventName = null,
    IReadOnlyList<PropertyRename>? PropertyRenames = null,
    IReadOnlyList<PropertyValueTransformation>? PropertyValueTransformations = null,
    IReadOnlyList<FqlDefinedProperty>? FqlDefinedProperties = null);

/// <summary>
/// A partial change to a transformation: members left null are not changed; an empty
/// <see cref="DestinationMetadataId"/> or <see cref="NewEventName"/> removes it; a list given replaces the list.
/// </summary>
internal sealed record TransformationChanges(
    string? Name = null,
    string? SourceId = null,
    string? DestinationMetadataId = null,
    bool? Enabled = null,
    string? If = null,
    bool? Drop = null,
    string? NewEventName = null,
    IReadOnlyList<PropertyRename>? PropertyRenames = null,
    IReadOnlyList<PropertyValueTransformation>? PropertyValueTransformations = null,
    IReadOnlyList<FqlDefinedProperty>? FqlDefinedProperties = null);

/// <summary>The stable names of rule types, as Segment's Public API writes them.</summary>
internal static class RuleTypes
{
    public static string Name(RuleType type) => type switch
    {
        RuleType.Common => "COMMON",
        RuleType.Track => "TRACK",
        RuleType.Identify => "IDENTIFY",
        RuleType.Group => "GROUP",
        RuleType.Page => "PAGE",
        RuleType.Screen => "SCREEN",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Reads a type name (as Segment writes it; any case), or null for one that is not a rule type.</summary>
    public static RuleType? Parse(string? name) => name?.ToUpperInvariant() switch
    {
        "COMMON" => RuleType.Common,
        "TRACK" => RuleType.Track,
        "IDENTIFY" => RuleType.Identify,
        "GROUP" => RuleType.Group,
        "PAGE" => RuleType.Page,
        "SCREEN" => RuleType.Screen,
        _ => null,
    };

    /// <summary>Whether rules of this type are named by a key: track (always), page and screen (optionally).</summary>
    public static bool HasKey(RuleType type) => type is RuleType.Track or RuleType.Page or RuleType.Screen;

    /// <summary>Whether a plan may hold several versions of a rule of this type and key: track events only, as in Segment.</summary>
    public static bool HasVersions(RuleType type) => type == RuleType.Track;

    /// <summary>How a rule is named in messages and the audit trail: <c>TRACK "Order Completed" v1</c>, <c>IDENTIFY v1</c>.</summary>
    public static string Describe(RuleType type, string? key, int version) =>
        string.IsNullOrEmpty(key) ? $"{Name(type)} v{version}" : $"{Name(type)} \"{key}\" v{version}";
}
