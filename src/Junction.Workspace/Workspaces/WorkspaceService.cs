using System.Text;
using System.Text.RegularExpressions;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Workspaces;

/// <summary>A workspace a user belongs to, with the names of the roles the user holds there (for the switcher).</summary>
internal sealed record UserWorkspace(string Id, string Name, string Slug, IReadOnlyList<string> Roles);

/// <summary>
/// Workspaces: creating one (its creator becomes its Workspace Owner), its settings (name and slug), deleting it, and
/// the list of a user's workspaces. Changes need the Workspace Owner role and are recorded in the audit trail.
/// </summary>
internal sealed partial class WorkspaceService(
    JunctionDbContext db,
    AuditTrail audit,
    SourceDirectory sources,
    TimeProvider time,
    ILogger<WorkspaceService> logger)
{
    public const int MaxNameLength = 100;
    public const int MaxSlugLength = 64;

    /// <summary>Creates a workspace whose only member is <paramref name="userId"/>, as its Workspace Owner.</summary>
    /// <param name="userId">The creator.</param>
    /// <param name="name">The workspace's name.</param>
    /// <param name="slug">The slug; without one it is made from the name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Outcome<WorkspaceEntity>> CreateAsync(string userId, string? name, string? slug, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Problem.NotFound("User");
        }

        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        if (string.IsNullOrWhiteSpace(slug))
        {
            slug = await FreeSlugAsync(SlugFrom(name!), cancellationToken);
        }
        else if (CheckSlug(slug) is { } badSlug)
        {
            return badSlug;
        }
        else if (await db.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken))
        {
            return SlugTaken(slug);
        }

        var now = time.GetUtcNow();
        var workspace = new WorkspaceEntity { Id = Ids.New("ws"), Name = name!.Trim(), Slug = slug, CreatedAt = now };
        db.Workspaces.Add(workspace);
        Membership.AddOwner(db, workspace.Id, user.Id, now);
        audit.Record(
            workspace.Id, AccountService.ActorOf(user), "Workspace Created", AuditResourceTypes.Workspace, workspace.Id, workspace.Name,
            after: Settings(workspace));
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(workspace.Id, user.Id);
        return workspace;
    }

    /// <summary>The workspaces a user is a member of, by name, with the roles the user holds in each (directly or through groups).</summary>
    public async Task<IReadOnlyList<UserWorkspace>> ListForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var workspaces = await db.WorkspaceMembers.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (_, w) => w)
            .ToListAsync(cancellationToken);
        var ids = workspaces.Select(w => w.Id).ToList();
        var groups = db.UserGroupMembers.Where(m => m.UserId == userId).Select(m => m.GroupId);
        var roles = await db.Permissions.AsNoTracking()
            .Where(p => ids.Contains(p.WorkspaceId)
                && ((p.PrincipalKind == PrincipalKind.User && p.PrincipalId == userId)
                    || (p.PrincipalKind == PrincipalKind.Group && groups.Contains(p.PrincipalId))))
            .Select(p => new { p.WorkspaceId, p.RoleId })
            .ToListAsync(cancellationToken);
        return workspaces
            .OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(w => w.Slug, StringComparer.Ordinal)
            .Select(w => new UserWorkspace(w.Id, w.Name, w.Slug, RoleNames(roles.Where(r => r.WorkspaceId == w.Id).Select(r => r.RoleId))))
            .ToList();
    }

    /// <summary>The settings of the caller's workspace.</summary>
    public async Task<Outcome<WorkspaceEntity>> GetAsync(Principal caller, CancellationToken cancellationToken) =>
        await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == caller.WorkspaceId, cancellationToken) is { } workspace
            ? workspace
            : Problem.NotFound("Workspace");

    public Task<Outcome<WorkspaceEntity>> RenameAsync(Principal caller, string? name, CancellationToken cancellationToken) =>
        UpdateSettingsAsync(caller, name, null, cancellationToken);

    public Task<Outcome<WorkspaceEntity>> ChangeSlugAsync(Principal caller, string? slug, CancellationToken cancellationToken) =>
        UpdateSettingsAsync(caller, null, slug, cancellationToken);

    /// <summary>Changes the name and/or the slug (null leaves one as it is). Workspace Owners only.</summary>
    public async Task<Outcome<WorkspaceEntity>> UpdateSettingsAsync(Principal caller, string? name, string? slug, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Changing the workspace settings");
        }

        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        if (workspace is null)
        {
            return Problem.NotFound("Workspace");
        }

        if (name is not null && CheckName(name) is { } badName)
        {
            return badName;
        }

        if (slug is not null && CheckSlug(slug) is { } badSlug)
        {
            return badSlug;
        }

        if (slug is not null && slug != workspace.Slug && await db.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken))
        {
            return SlugTaken(slug);
        }

        var before = Settings(workspace);
        workspace.Name = name?.Trim() ?? workspace.Name;
        workspace.Slug = slug ?? workspace.Slug;
        var after = Settings(workspace);
        if (before != after)
        {
            audit.Record(
                workspace.Id, Actor.Of(caller), "Workspace Settings Changed", AuditResourceTypes.Workspace, workspace.Id, workspace.Name,
                before, after);
            await db.SaveChangesAsync(cancellationToken);
        }

        return workspace;
    }

    /// <summary>
    /// Deletes the caller's workspace with everything in it (sources, members' access, tokens, invites, its audit
    /// trail). Workspace Owners only, and only when <paramref name="confirmation"/> is the workspace's exact name.
    /// The audit trail goes with the workspace, so the deletion is logged instead.
    /// </summary>
    public async Task<Outcome<WorkspaceEntity>> DeleteAsync(Principal caller, string? confirmation, CancellationToken cancellationToken)
    {
        if (!caller.IsOwner)
        {
            return Denials.OwnerOnly("Deleting the workspace");
        }

        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        if (workspace is null)
        {
            return Problem.NotFound("Workspace");
        }

        if (!string.Equals(confirmation, workspace.Name, StringComparison.Ordinal))
        {
            return Problem.Invalid($"To delete the workspace, type its name exactly as it is: {workspace.Name}", "confirmation");
        }

        db.Workspaces.Remove(workspace);
        await db.SaveChangesAsync(cancellationToken);
        await sources.RefreshAsync(cancellationToken);
        LogDeleted(workspace.Id, workspace.Name, caller.Type, caller.Id);
        return workspace;
    }

    /// <summary>The reason a slug is refused, or null: 1 to 64 lower-case letters, digits and inner hyphens.</summary>
    public static Problem? CheckSlug(string? slug) =>
        string.IsNullOrEmpty(slug) || slug.Length > MaxSlugLength || !SlugPattern().IsMatch(slug)
            ? Problem.Invalid(
                $"The slug must be 1 to {MaxSlugLength} lower-case letters, digits and hyphens, starting and ending with a letter or digit (like \"my-workspace\").",
                "slug")
            : null;

    public static Problem? CheckName(string? name) => name?.Trim() switch
    {
        null or "" => Problem.Invalid("Enter a name for the workspace.", "name"),
        { Length: > MaxNameLength } => Problem.Invalid($"Use at most {MaxNameLength} characters for the workspace's name.", "name"),
        _ => null,
    };

    /// <summary>A slug made from a name: "Acme Inc. (EU)" becomes "acme-inc-eu".</summary>
    public static string SlugFrom(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        text = text.Length > MaxSlugLength - 4 ? text[..(MaxSlugLength - 4)].TrimEnd('-') : text;
        return text.Length == 0 ? "workspace" : text;
    }

    /// <summary>Role names in the catalog's order; a member without any role holds Workspace Member.</summary>
    private static IReadOnlyList<string> RoleNames(IEnumerable<string> roleIds)
    {
        var held = roleIds.ToHashSet(StringComparer.Ordinal);
        var names = Roles.All.Where(r => held.Contains(r.Id)).Select(r => r.Name).ToList();
        return names.Count == 0 ? [Roles.WorkspaceMember.Name] : names;
    }

    private async Task<string> FreeSlugAsync(string slug, CancellationToken cancellationToken)
    {
        var taken = await db.Workspaces.Where(w => w.Slug == slug || w.Slug.StartsWith(slug + "-")).Select(w => w.Slug).ToListAsync(cancellationToken);
        var candidate = slug;
        for (var n = 2; taken.Contains(candidate, StringComparer.Ordinal); n++)
        {
            candidate = slug + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static Problem SlugTaken(string slug) => Problem.Conflict($"Another workspace has the slug \"{slug}\" already.", "slug");

    private static WorkspaceSettings Settings(WorkspaceEntity workspace) => new(workspace.Name, workspace.Slug);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceId} created by user {UserId}")]
    private partial void LogCreated(string workspaceId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceId} (\"{Name}\") deleted by {ActorType} {ActorId}")]
    private partial void LogDeleted(string workspaceId, string name, PrincipalType actorType, string actorId);
}

/// <summary>The settings of a workspace, as recorded in the audit trail.</summary>
internal sealed record WorkspaceSettings(string Name, string Slug);
