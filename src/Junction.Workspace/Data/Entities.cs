namespace Junction.Workspace.Data;

/// <summary>A workspace: the unit that owns sources, destinations, members and tokens.</summary>
internal sealed class WorkspaceEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Slug { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A source: where events come from (a website, an app, a server), with its write keys.</summary>
internal sealed class SourceEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public required string Slug { get; set; }

    public string? Name { get; set; }

    /// <summary>The sources catalog entry this source was created from (its <c>metadataId</c>).</summary>
    public required string CatalogId { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Instance settings as a JSON object.</summary>
    public string SettingsJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public List<WriteKeyEntity> WriteKeys { get; set; } = [];
}

/// <summary>A write key: the public credential a client library sends with every event.</summary>
internal sealed class WriteKeyEntity
{
    public required string Key { get; set; }

    public required string SourceId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A Public API token. Only a SHA-256 hash of the secret is stored.</summary>
internal sealed class ApiTokenEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public required string Description { get; set; }

    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
