using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Labels;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Access;

/// <summary>A resource a permission is given on: the whole workspace (<c>WORKSPACE</c>) or one resource, with labels.</summary>
internal sealed record ResourceInput(string Id, string Type, IReadOnlyList<Label> Labels);

/// <summary>
/// A permission to give: a role on resources. Labels may come with each resource (as Segment's clients send them) or
/// with the permission (as invites carry them); they all narrow the one permission, ANDed.
/// </summary>
internal sealed record PermissionInput(string RoleId, IReadOnlyList<ResourceInput> Resources, IReadOnlyList<Label>? Labels = null);

/// <summary>A resource of a permission as callers see it; its labels are the permission's.</summary>
internal sealed record ResourceView(string Id, string Type, IReadOnlyList<LabelView> Labels);

/// <summary>A permission as callers see it.</summary>
internal sealed record PermissionView(string RoleId, string RoleName, IReadOnlyList<ResourceView> Resources, IReadOnlyList<LabelView> Labels);

/// <summary>Who permissions are given to, and how the audit trail names them.</summary>
internal sealed record PermissionHolder(PrincipalKind Kind, string Id, string AuditResourceType, string Name);

/// <summary>
/// Stored permissions of users, user groups, tokens and invites: the one place that checks permission input (the
/// role exists, the resources fit the role and belong to the workspace, the labels exist) and that adds or replaces
/// them. Only Workspace Owners change permissions, and never so that the workspace is left without an owner.
/// </summary>
internal sealed class PermissionService(JunctionDbContext db, AuditTrail audit, TimeProvider time)
{
    public const string WorkspaceType = "WORKSPACE";

    /// <summary>The resource types of the Public API, in its order.</summary>
    public static readonly IReadOnlyList<string> ResourceTypes = ["FUNCTION", "SOURCE", "SPACE", "WAREHOUSE", WorkspaceType];

    /// <summary>
    /// Checks permission input and answers the permissions to store, not yet added to the database (their principal is
    /// set by the caller), or the problem naming the first bad field (<c>permissions[0].resources[1].id</c>).
    /// Without resources a permission covers the whole workspace.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<PermissionEntity>>> BuildAsync(
        string workspaceId, IReadOnlyList<PermissionInput> inputs, string field, CancellationToken cancellationToken)
    {
        var labels = await LabelService.DescriptionsAsync(db, workspaceId, cancellationToken);
        var sources = await ExistingAsync(workspaceId, "SOURCE", inputs, cancellationToken);
        var now = time.GetUtcNow();
        var permissions = new List<PermissionEntity>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"{field}[{i}]";
            var input = inputs[i];
            if (Roles.Find(input.RoleId) is not { } role)
            {
                return Problem.Invalid($"{at}.roleId: there is no role \"{input.RoleId}\"; GET /roles lists them.", $"{at}.roleId");
            }

            if (CheckResources(workspaceId, role, input.Resources, at, sources) is { } badResource)
            {
                return badResource;
            }

            var given = (input.Labels ?? []).Select((l, k) => (Label: l, Field: $"{at}.labels[{k}]"))
                .Concat(input.Resources.SelectMany((r, j) => r.Labels.Select((l, k) => (Label: l, Field: $"{at}.resources[{j}].labels[{k}]"))))
                .ToList();
            if (CheckLabels(role, given, labels, at) is { } badLabel)
            {
                return badLabel;
            }

            var id = Ids.New("perm");
            var resources = input.Resources.Count == 0 || input.Resources.Any(r => r.Type == WorkspaceType)
                ? [new PermissionResourceEntity { PermissionId = id, Type = WorkspaceType, ResourceId = workspaceId }]
                : input.Resources.Select(r => (r.Type, r.Id)).Distinct()
                    .Select(r => new PermissionResourceEntity { PermissionId = id, Type = r.Type, ResourceId = r.Id })
                    .ToList();
            permissions.Add(new PermissionEntity
            {
                Id = id,
                WorkspaceId = workspaceId,
                PrincipalId = "",
                RoleId = role.Id,
                CreatedAt = now,
                Resources = resources,
                Labels = given.Select(g => g.Label).Distinct()
                    .Select(l => new PermissionLabelEntity { PermissionId = id, Key = l.Key, Value = l.Value })
                    .ToList(),
            });
        }

        return permissions;
    }

    /// <summary>The permissions of one holder, as callers see them.</summary>
    public async Task<IReadOnlyList<PermissionView>> ViewsAsync(
        string workspaceId, PrincipalKind kind, string principalId, CancellationToken cancellationToken) =>
        (await ViewsAsync(workspaceId, kind, [principalId], cancellationToken)).GetValueOrDefault(principalId) ?? [];

    /// <summary>The permissions of several holders of one kind, by holder id (holders without any are absent).</summary>
    public async Task<Dictionary<string, IReadOnlyList<PermissionView>>> ViewsAsync(
        string workspaceId, PrincipalKind kind, IReadOnlyCollection<string> principalIds, CancellationToken cancellationToken)
    {
        var ids = principalIds.ToList();
        var permissions = await db.Permissions.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.PrincipalKind == kind && ids.Contains(p.PrincipalId))
            .Include(p => p.Resources)
            .Include(p => p.Labels)
            .ToListAsync(cancellationToken);
        var descriptions = permissions.Any(p => p.Labels.Count > 0)
            ? await LabelService.DescriptionsAsync(db, workspaceId, cancellationToken)
            : [];
        return permissions.GroupBy(p => p.PrincipalId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Views(g, descriptions), StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds permissions to a holder (one identical to a permission it already has is skipped), or replaces all of
    /// its permissions, with one audit entry. The caller has already checked that the holder exists in the workspace.
    /// Answers all of the holder's permissions afterwards.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<PermissionView>>> GrantAsync(
        Principal caller, PermissionHolder holder, IReadOnlyList<PermissionInput> inputs, bool replace, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing permissions");
        }

        var built = await BuildAsync(caller.WorkspaceId, inputs, "permissions", cancellationToken);
        if (built.Problem is { } invalid)
        {
            return invalid;
        }

        var existing = await db.Permissions
            .Where(p => p.WorkspaceId == caller.WorkspaceId && p.PrincipalKind == holder.Kind && p.PrincipalId == holder.Id)
            .Include(p => p.Resources)
            .Include(p => p.Labels)
            .ToListAsync(cancellationToken);
        var descriptions = await LabelService.DescriptionsAsync(db, caller.WorkspaceId, cancellationToken);
        var before = Views(existing, descriptions);
        var kept = replace ? [] : existing;
        var added = built.Value!.Where(p => !kept.Any(k => Signature(k) == Signature(p))).ToList();
        var after = kept.Concat(added).ToList();

        if (holder.Kind is PrincipalKind.User or PrincipalKind.Group)
        {
            var guard = await OwnerGuard.LoadAsync(db, caller.WorkspaceId, cancellationToken);
            var owner = after.Any(p => p.RoleId == Roles.WorkspaceOwnerId);
            if (holder.Kind == PrincipalKind.User)
            {
                guard.SetUserOwner(holder.Id, owner);
            }
            else
            {
                guard.SetGroupOwner(holder.Id, owner);
            }

            if (guard.Check("permissions") is { } lastOwner)
            {
                return lastOwner;
            }
        }

        if (replace)
        {
            db.Permissions.RemoveRange(existing);
        }

        foreach (var permission in added)
        {
            permission.PrincipalKind = holder.Kind;
            permission.PrincipalId = holder.Id;
            db.Permissions.Add(permission);
        }

        var views = Views(after, descriptions);
        audit.Record(
            caller.WorkspaceId, Actor.Of(caller), replace ? "Permissions Replaced" : "Permissions Added",
            holder.AuditResourceType, holder.Id, holder.Name, new { permissions = before }, new { permissions = views });
        await db.SaveChangesAsync(cancellationToken);
        return Success(views);
    }

    /// <summary>Removes every permission of a holder (a removed member, a deleted group, a revoked token); saved by the caller.</summary>
    public async Task RemoveAllAsync(string workspaceId, PrincipalKind kind, string principalId, CancellationToken cancellationToken) =>
        db.Permissions.RemoveRange(await db.Permissions
            .Where(p => p.WorkspaceId == workspaceId && p.PrincipalKind == kind && p.PrincipalId == principalId)
            .ToListAsync(cancellationToken));

    public static IReadOnlyList<PermissionView> Views(IEnumerable<PermissionEntity> permissions, IReadOnlyDictionary<Label, string?> descriptions) =>
        permissions
            .OrderBy(p => p.CreatedAt)
            .ThenBy(p => RoleOrder(p.RoleId))
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p =>
            {
                var labels = p.Labels
                    .Select(l => new LabelView(l.Key, l.Value, descriptions.GetValueOrDefault(new Label(l.Key, l.Value))))
                    .OrderBy(l => l.Key, StringComparer.Ordinal).ThenBy(l => l.Value, StringComparer.Ordinal)
                    .ToList();
                var resources = p.Resources
                    .OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.ResourceId, StringComparer.Ordinal)
                    .Select(r => new ResourceView(r.ResourceId, r.Type, labels))
                    .ToList();
                return new PermissionView(p.RoleId, Roles.Find(p.RoleId)?.Name ?? p.RoleId, resources, labels);
            })
            .ToList();

    private static Outcome<IReadOnlyList<PermissionView>> Success(IReadOnlyList<PermissionView> views) => new(views, null);

    private static int RoleOrder(string roleId)
    {
        for (var i = 0; i < Roles.All.Count; i++)
        {
            if (Roles.All[i].Id == roleId)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static string Signature(PermissionEntity permission) =>
        permission.RoleId + "|"
        + string.Join(",", permission.Resources.Select(r => r.Type + ":" + r.ResourceId).Order(StringComparer.Ordinal)) + "|"
        + string.Join(",", permission.Labels.Select(l => l.Key + ":" + l.Value).Order(StringComparer.Ordinal));

    private static Problem? CheckResources(
        string workspaceId, Role role, IReadOnlyList<ResourceInput> resources, string at, IReadOnlySet<string> sources)
    {
        for (var j = 0; j < resources.Count; j++)
        {
            var resource = resources[j];
            var field = $"{at}.resources[{j}]";
            if (!ResourceTypes.Contains(resource.Type, StringComparer.Ordinal))
            {
                return Problem.Invalid($"{field}.type must be one of {string.Join(", ", ResourceTypes)}, not \"{resource.Type}\".", $"{field}.type");
            }

            if (resource.Type == WorkspaceType)
            {
                if (resource.Id != workspaceId)
                {
                    return Problem.Invalid(
                        $"{field}.id: a WORKSPACE resource names this workspace ({workspaceId}), not \"{resource.Id}\".", $"{field}.id");
                }

                continue;
            }

            if (!role.AllowsListAndLabels || role.ResourceType != resource.Type)
            {
                var fits = role.AllowsListAndLabels ? $"WORKSPACE or {role.ResourceType} resources" : "only the WORKSPACE resource";
                return Problem.Invalid($"{field}.type: {role.Name} cannot be given on a {resource.Type}; it takes {fits}.", $"{field}.type");
            }

            // Sources are the only specific resources that exist so far; a warehouse, space or function id names nothing.
            if (resource.Type != "SOURCE" || !sources.Contains(resource.Id))
            {
                return Problem.Invalid(
                    $"{field}.id: there is no {resource.Type.ToLowerInvariant()} \"{resource.Id}\" in this workspace.", $"{field}.id");
            }
        }

        return resources.Count > 1 && resources.Any(r => r.Type == WorkspaceType)
            ? Problem.Invalid(
                $"{at}.resources: give either the whole workspace (one WORKSPACE resource) or a list of resources, not both.", $"{at}.resources")
            : null;
    }

    private static Problem? CheckLabels(
        Role role, IReadOnlyList<(Label Label, string Field)> given, IReadOnlyDictionary<Label, string?> existing, string at)
    {
        if (given.Count > 0 && !role.AllowsListAndLabels)
        {
            return Problem.Invalid($"{given[0].Field}: {role.Name} cannot be narrowed by labels.", given[0].Field);
        }

        foreach (var (label, field) in given)
        {
            if (!existing.ContainsKey(label))
            {
                return Problem.Invalid($"{field}: there is no label {label} in this workspace.", field);
            }
        }

        var clash = given.Select(g => g.Label).Distinct().GroupBy(l => l.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return clash is null
            ? null
            : Problem.Invalid(
                $"{at}: the labels of one permission must all match, and a resource has one value per key, so "
                + $"{string.Join(" and ", clash)} together would match nothing; give them in separate permissions.",
                $"{at}.labels");
    }

    private async Task<IReadOnlySet<string>> ExistingAsync(
        string workspaceId, string type, IReadOnlyList<PermissionInput> inputs, CancellationToken cancellationToken)
    {
        var ids = inputs.SelectMany(p => p.Resources).Where(r => r.Type == type).Select(r => r.Id).Distinct().ToList();
        if (ids.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var found = await db.Sources.Where(s => s.WorkspaceId == workspaceId && ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        return found.ToHashSet(StringComparer.Ordinal);
    }
}
