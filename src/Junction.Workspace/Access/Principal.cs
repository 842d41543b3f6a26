namespace Junction.Workspace.Access;

/// <summary>A label, <c>key:value</c>.</summary>
internal readonly record struct Label(string Key, string Value)
{
    public override string ToString() => Key + ":" + Value;
}

/// <summary>
/// What one permission covers: every resource of its kind (present and future) or a list of them, narrowed to those
/// carrying all of <see cref="Labels"/> when it has any (labels in one permission are ANDed; OR them with several
/// permissions).
/// </summary>
internal sealed record GrantScope(bool AllResources, IReadOnlySet<string> ResourceIds, IReadOnlyList<Label> Labels)
{
    public static readonly GrantScope Everything = new(true, new HashSet<string>(StringComparer.Ordinal), []);

    public bool Covers(string? resourceId, IReadOnlyCollection<Label> resourceLabels) =>
        (AllResources || (resourceId is not null && ResourceIds.Contains(resourceId)))
        && Labels.All(resourceLabels.Contains);
}

/// <summary>One resource an access decision is about: its kind, its id and the labels it carries.</summary>
internal readonly record struct ResourceRef(ResourceKind Kind, string? Id, IReadOnlyCollection<Label> Labels);

/// <summary>One role a principal holds, with its scope.</summary>
internal sealed record Grant(Role Role, GrantScope Scope);

/// <summary>What kind of caller a principal is.</summary>
internal enum PrincipalType
{
    User,
    Token,
}

/// <summary>
/// A caller in one workspace (a signed-in user or a Public API token) with every grant that applies to it — its own
/// permissions and, for a user, those of its groups. All access decisions go through <see cref="AccessTo"/> and the
/// helpers built on it, for the Public API and the web app alike.
/// </summary>
internal sealed record Principal(
    string WorkspaceId,
    PrincipalType Type,
    string Id,
    string DisplayName,
    IReadOnlyList<Grant> Grants)
{
    public bool IsOwner => Grants.Any(g => g.Role.Id == Roles.WorkspaceOwnerId);

    /// <summary>The highest access any grant gives on a resource. Roles add up: the highest wins.</summary>
    public AccessLevel AccessTo(ResourceKind kind, string? resourceId = null, IReadOnlyCollection<Label>? labels = null)
    {
        if (IsOwner)
        {
            return AccessLevel.Write;
        }

        var level = AccessLevel.None;
        foreach (var grant in Grants)
        {
            if (grant.Role.Kind == kind && grant.Role.Level > level && grant.Scope.Covers(resourceId, labels ?? []))
            {
                level = grant.Role.Level;
            }
        }

        return level;
    }

    public bool Can(AccessLevel needed, ResourceKind kind, string? resourceId = null, IReadOnlyCollection<Label>? labels = null) =>
        AccessTo(kind, resourceId, labels) >= needed;

    /// <summary>
    /// Creating a resource of a kind needs write access to every resource of that kind, present and future (as
    /// Segment's "all sources" Source Admin can create sources).
    /// </summary>
    public bool CanCreate(ResourceKind kind) =>
        IsOwner || Grants.Any(g => g.Role.Kind == kind && g.Role.Level == AccessLevel.Write && g.Scope.AllResources && g.Scope.Labels.Count == 0);

    /// <summary>Whether the principal can see any resource of a kind at all (to show or hide a whole area).</summary>
    public bool CanSeeAny(ResourceKind kind) => IsOwner || Grants.Any(g => g.Role.Kind == kind && g.Role.Level >= AccessLevel.Read);

    /// <summary>
    /// Whether the principal reads every resource of a kind, present and future, whatever their labels; a list can then
    /// be shown without checking each item.
    /// </summary>
    public bool SeesAll(ResourceKind kind) =>
        IsOwner || Grants.Any(g => g.Role.Kind == kind && g.Role.Level >= AccessLevel.Read && g.Scope.AllResources && g.Scope.Labels.Count == 0);

    /// <summary>
    /// Connecting two resources (a source to a warehouse, a source to a tracking plan) changes both, so it needs write
    /// access to each of them.
    /// </summary>
    public bool CanConnect(ResourceRef first, ResourceRef second) =>
        Can(AccessLevel.Write, first.Kind, first.Id, first.Labels) && Can(AccessLevel.Write, second.Kind, second.Id, second.Labels);
}
