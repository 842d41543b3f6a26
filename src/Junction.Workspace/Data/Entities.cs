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

    /// <summary>The owner who created it; null for tokens made on the command line.</summary>
    public string? CreatedByUserId { get; set; }
}

/// <summary>A person who can sign in. Users are global: membership and access are per workspace.</summary>
internal sealed class UserEntity
{
    public required string Id { get; set; }

    public required string Email { get; set; }

    /// <summary>The email upper-cased (invariant), for case-insensitive lookups that work the same on every database.</summary>
    public required string NormalizedEmail { get; set; }

    public required string Name { get; set; }

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2 with a per-user salt).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Changes whenever the password changes or the user signs out everywhere: sessions carrying an old stamp end.</summary>
    public required string SecurityStamp { get; set; }

    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>A user's membership of a workspace; what they may do there comes from permissions.</summary>
internal sealed class WorkspaceMemberEntity
{
    public required string WorkspaceId { get; set; }

    public required string UserId { get; set; }

    public DateTimeOffset JoinedAt { get; set; }
}

/// <summary>Who a permission is given to.</summary>
internal enum PrincipalKind
{
    User,
    Group,
    Token,
    Invite,
}

/// <summary>A role on resources, given to a user, a user group, a Public API token or a pending invite.</summary>
internal sealed class PermissionEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public PrincipalKind PrincipalKind { get; set; }

    public required string PrincipalId { get; set; }

    public required string RoleId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<PermissionResourceEntity> Resources { get; set; } = [];

    public List<PermissionLabelEntity> Labels { get; set; } = [];
}

/// <summary>
/// A resource a permission covers: <c>WORKSPACE</c> (every resource of the role's kind, present and future) or a
/// specific <c>SOURCE</c>, <c>SPACE</c>, <c>WAREHOUSE</c> or <c>FUNCTION</c>.
/// </summary>
internal sealed class PermissionResourceEntity
{
    public required string PermissionId { get; set; }

    public required string Type { get; set; }

    public required string ResourceId { get; set; }
}

/// <summary>A label a permission requires: the permission covers only resources carrying all its labels.</summary>
internal sealed class PermissionLabelEntity
{
    public required string PermissionId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}

/// <summary>A named set of members (and pending invites) who share permissions.</summary>
internal sealed class UserGroupEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class UserGroupMemberEntity
{
    public required string GroupId { get; set; }

    public required string UserId { get; set; }
}

internal sealed class UserGroupInviteEntity
{
    public required string GroupId { get; set; }

    public required string InviteId { get; set; }
}

/// <summary>An invitation to join a workspace, by email. Only a hash of the link's token is stored.</summary>
internal sealed class InviteEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public required string Email { get; set; }

    public required string NormalizedEmail { get; set; }

    public required string TokenHash { get; set; }

    public string? InvitedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset LastSentAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A single-use password reset link. Only a hash of the token is stored.</summary>
internal sealed class PasswordResetEntity
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>The one-time link that creates the first Workspace Owner of a fresh install. Only a hash is stored.</summary>
internal sealed class SetupTokenEntity
{
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A label (<c>key:value</c>) a workspace defines and puts on sources.</summary>
internal sealed class LabelEntity
{
    public required string WorkspaceId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public string? Description { get; set; }
}

/// <summary>A label on a source; a source has at most one value per key.</summary>
internal sealed class SourceLabelEntity
{
    public required string SourceId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}

/// <summary>Who did something recorded in the audit trail.</summary>
internal enum ActorKind
{
    User,
    Token,
    System,
}

/// <summary>One change in a workspace: who, when, to what, and the resource before and after (never a secret).</summary>
internal sealed class AuditEventEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    /// <summary>What happened, in Segment's style: "Source Created", "Invite Sent", "Permissions Replaced".</summary>
    public required string Type { get; set; }

    public ActorKind ActorKind { get; set; }

    public required string ActorId { get; set; }

    /// <summary>The actor's email (a user) or description (a token).</summary>
    public required string ActorName { get; set; }

    public required string ResourceType { get; set; }

    public required string ResourceId { get; set; }

    public required string ResourceName { get; set; }

    public string? BeforeJson { get; set; }

    public string? AfterJson { get; set; }
}
