using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Access;

/// <summary>
/// Builds the <see cref="Principal"/> of a caller from the database: a member's own permissions plus those of every
/// user group it belongs to, or a token's permissions. Someone who is not a member of the workspace gets no principal.
/// </summary>
internal sealed class AccessService(JunctionDbContext db)
{
    public async Task<Principal?> ForUserAsync(string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var member = await db.WorkspaceMembers.AsNoTracking()
            .AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (user is null || !member)
        {
            return null;
        }

        var groups = db.UserGroupMembers.Where(m => m.UserId == userId).Select(m => m.GroupId);
        var permissions = await db.Permissions.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId
                && ((p.PrincipalKind == PrincipalKind.User && p.PrincipalId == userId)
                    || (p.PrincipalKind == PrincipalKind.Group && groups.Contains(p.PrincipalId))))
            .Include(p => p.Resources)
            .Include(p => p.Labels)
            .ToListAsync(cancellationToken);
        return new Principal(workspaceId, PrincipalType.User, userId, user.Email, Grants(permissions));
    }

    public async Task<Principal> ForTokenAsync(ApiTokenEntity token, CancellationToken cancellationToken)
    {
        var permissions = await db.Permissions.AsNoTracking()
            .Where(p => p.WorkspaceId == token.WorkspaceId && p.PrincipalKind == PrincipalKind.Token && p.PrincipalId == token.Id)
            .Include(p => p.Resources)
            .Include(p => p.Labels)
            .ToListAsync(cancellationToken);
        return new Principal(token.WorkspaceId, PrincipalType.Token, token.Id, token.Description, Grants(permissions));
    }

    /// <summary>Turns stored permissions into grants; a permission naming an unknown role gives nothing.</summary>
    public static IReadOnlyList<Grant> Grants(IEnumerable<PermissionEntity> permissions)
    {
        var grants = new List<Grant>();
        foreach (var permission in permissions)
        {
            if (Roles.Find(permission.RoleId) is not { } role)
            {
                continue;
            }

            var all = permission.Resources.Count == 0 || permission.Resources.Any(r => r.Type == "WORKSPACE");
            var ids = permission.Resources.Where(r => r.Type != "WORKSPACE").Select(r => r.ResourceId).ToHashSet(StringComparer.Ordinal);
            var labels = permission.Labels.Select(l => new Label(l.Key, l.Value)).ToList();
            grants.Add(new Grant(role, all ? new GrantScope(true, ids, labels) : new GrantScope(false, ids, labels)));
        }

        return grants;
    }
}
