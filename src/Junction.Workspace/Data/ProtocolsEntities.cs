namespace Junction.Workspace.Data;

/// <summary>
/// A tracking plan of a workspace (Segment's <c>TrackingPlanV1</c>): a named set of rules that the events of its
/// connected sources are checked against. Its rules (schemas compiled by the Protocols engine, the history of each
/// rule) live in Junction.Protocols' control plane; this is only what is stored.
/// </summary>
internal sealed class TrackingPlanEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public required string Name { get; set; }

    /// <summary>Made from the name when the plan is created, unique in the workspace (<c>web-plan</c>, <c>web-plan-2</c>).</summary>
    public required string Slug { get; set; }

    public string? Description { get; set; }

    /// <summary>Segment's plan type; Junction makes <c>LIVE</c> plans only.</summary>
    public required string Type { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One rule of a tracking plan (Segment's <c>RuleV1</c>): a JSON Schema for the events of one type, and for track,
/// page and screen events of one name and version. A plan holds at most one rule per type, key and version.
/// </summary>
internal sealed class TrackingPlanRuleEntity
{
    /// <summary>Stable across renames, so that a rule's history follows it when its key changes.</summary>
    public required string Id { get; set; }

    public required string TrackingPlanId { get; set; }

    /// <summary>Segment's rule type: <c>COMMON</c>, <c>TRACK</c>, <c>IDENTIFY</c>, <c>GROUP</c>, <c>PAGE</c> or <c>SCREEN</c>.</summary>
    public required string Type { get; set; }

    /// <summary>
    /// The event name (track) or page or screen name; the empty string for a rule without a key (common, identify,
    /// group, every page or screen), so that the unique index also holds for those.
    /// </summary>
    public required string Key { get; set; }

    public int Version { get; set; }

    /// <summary>The rule's JSON Schema (draft-07), as the caller sent it.</summary>
    public required string JsonSchema { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeprecatedAt { get; set; }
}

/// <summary>
/// One change of a rule, kept as its history: the rule's type, key and version after the change, the schema it had
/// from then on (for a deletion, the schema it had when it was removed), and who changed it when. Kept when the rule
/// is deleted; deleted with the plan.
/// </summary>
internal sealed class TrackingPlanRuleRevisionEntity
{
    public required string Id { get; set; }

    public required string TrackingPlanId { get; set; }

    /// <summary>The rule's id; the rule itself may be gone.</summary>
    public required string RuleId { get; set; }

    /// <summary>1 for the change that created the rule, then one more for each change.</summary>
    public int Revision { get; set; }

    /// <summary><c>CREATED</c>, <c>UPDATED</c>, <c>RENAMED</c> or <c>DELETED</c>.</summary>
    public required string Change { get; set; }

    public required string Type { get; set; }

    /// <summary>The key after the change (empty for a rule without a key).</summary>
    public required string Key { get; set; }

    /// <summary>For a rename, the key the rule had before.</summary>
    public string? PreviousKey { get; set; }

    public int Version { get; set; }

    public required string JsonSchema { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public ActorKind ActorKind { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }
}

/// <summary>A source connected to a tracking plan: its events are checked against the plan. A source has at most one plan.</summary>
internal sealed class TrackingPlanSourceEntity
{
    /// <summary>The key: one plan per source.</summary>
    public required string SourceId { get; set; }

    public required string TrackingPlanId { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }
}

/// <summary>
/// A source's schema controls (Segment's <c>/sources/{id}/settings</c>): what happens to events that are not planned
/// or violate the plan, and where blocked events and violations are forwarded. A source without a row has the
/// defaults, which allow everything. The common-schema actions are <c>ALLOW</c>, <c>BLOCK</c> or <c>OMIT</c>.
/// </summary>
internal sealed class SourceSchemaSettingsEntity
{
    public required string SourceId { get; set; }

    public bool TrackAllowUnplannedEvents { get; set; } = true;

    public bool TrackAllowUnplannedEventProperties { get; set; } = true;

    public bool TrackAllowEventOnViolations { get; set; } = true;

    public bool TrackAllowPropertiesOnViolations { get; set; } = true;

    public string TrackCommonEventOnViolations { get; set; } = "ALLOW";

    public bool IdentifyAllowUnplannedTraits { get; set; } = true;

    public bool IdentifyAllowTraitsOnViolations { get; set; } = true;

    public string IdentifyCommonEventOnViolations { get; set; } = "ALLOW";

    public bool GroupAllowUnplannedTraits { get; set; } = true;

    public bool GroupAllowTraitsOnViolations { get; set; } = true;

    public string GroupCommonEventOnViolations { get; set; } = "ALLOW";

    /// <summary>The source blocked events are forwarded to, or null.</summary>
    public string? ForwardingBlockedEventsTo { get; set; }

    /// <summary>The source violations are forwarded to (as "Violation Generated" events), or null.</summary>
    public string? ForwardingViolationsTo { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A transformation (Segment's <c>TransformationV1</c>): changes to the events of one source matching an FQL
/// condition, for every destination or, with <see cref="DestinationMetadataId"/>, for one catalog destination only.
/// Lists are stored as JSON arrays in Segment's shapes.
/// </summary>
internal sealed class TransformationEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    /// <summary>The source whose events it changes; deleting the source deletes it.</summary>
    public required string SourceId { get; set; }

    /// <summary>The destinations catalog id it is scoped to, or null for every destination of the source.</summary>
    public string? DestinationMetadataId { get; set; }

    public required string Name { get; set; }

    public bool Enabled { get; set; }

    /// <summary>The FQL condition (<c>event = 'Order Completed'</c>).</summary>
    public required string If { get; set; }

    public bool Drop { get; set; }

    public string? NewEventName { get; set; }

    /// <summary><c>[{"oldName", "newName"}]</c>.</summary>
    public string PropertyRenamesJson { get; set; } = "[]";

    /// <summary><c>[{"propertyPaths": [...], "propertyValue"}]</c>.</summary>
    public string PropertyValueTransformationsJson { get; set; } = "[]";

    /// <summary><c>[{"fql", "propertyName"}]</c>.</summary>
    public string FqlDefinedPropertiesJson { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A workspace's Protocols settings: the naming conventions its schema view checks event and property names against,
/// by the Protocols engine's stable names. A workspace without a row has the defaults (Title Case "Object Action"
/// event names, snake_case properties).
/// </summary>
internal sealed class ProtocolsSettingsEntity
{
    public required string WorkspaceId { get; set; }

    public required string EventNamingConvention { get; set; }

    public required string PropertyNamingConvention { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
