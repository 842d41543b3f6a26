namespace Junction.Workspace.Data;

/// <summary>
/// A destination instance: a catalog destination connected to one source of a workspace, with its settings. Its
/// rules (settings checked against the catalog, secrets, presets) live in Junction.Destinations' control plane.
/// </summary>
internal sealed class DestinationEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    /// <summary>The source whose events it receives; deleting the source deletes it.</summary>
    public required string SourceId { get; set; }

    /// <summary>The destinations catalog entry it was created from (its <c>metadataId</c>).</summary>
    public required string CatalogId { get; set; }

    public required string Name { get; set; }

    public bool Enabled { get; set; }

    /// <summary>
    /// Settings as a JSON object. A secret setting's value is stored encrypted by <c>SecretProtector</c>, as
    /// <c>{"$protected": "…"}</c>, never in clear.
    /// </summary>
    public string SettingsJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A subscription of an Actions destination: which events (trigger) an action receives, mapped how.</summary>
internal sealed class DestinationSubscriptionEntity
{
    public required string Id { get; set; }

    public required string DestinationId { get; set; }

    public required string Name { get; set; }

    /// <summary>The action's id in the destination's catalog definition.</summary>
    public required string ActionId { get; set; }

    /// <summary>The trigger, in FQL subscription syntax (<c>type = "track"</c>).</summary>
    public required string Trigger { get; set; }

    /// <summary>The mapping as a JSON object: field key → value or directive.</summary>
    public string MappingJson { get; set; } = "{}";

    public bool Enabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A destination filter: an FQL condition and what to do with the events that match it.</summary>
internal sealed class DestinationFilterEntity
{
    public required string Id { get; set; }

    public required string DestinationId { get; set; }

    /// <summary>The destination's source (Segment names the source–destination pair a filter applies to).</summary>
    public required string SourceId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>The FQL condition (<c>all</c> for every event).</summary>
    public required string If { get; set; }

    /// <summary>The actions as a JSON array of <c>{type, percent?, path?, fields?}</c>.</summary>
    public string ActionsJson { get; set; } = "[]";

    public bool Enabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
