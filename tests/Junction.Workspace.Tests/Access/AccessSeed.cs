using System.Net.Http.Headers;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Access;

/// <summary>
/// Writes access-management rows straight into a test server's database (users have no Public API to be created
/// by), and makes clients for tokens with chosen permissions.
/// </summary>
internal static class AccessSeed
{
    /// <summary>A permission to store: a role on the whole workspace, or on sources, narrowed by labels ("key:value").</summary>
    public static PermissionEntity Permission(string workspaceId, string roleId, IReadOnlyList<string>? sourceIds = null, params string[] labels)
    {
        var id = Ids.New("perm");
        return new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspaceId,
            PrincipalId = "",
            RoleId = roleId,
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Resources = sourceIds is { Count: > 0 }
                ? sourceIds.Select(s => new PermissionResourceEntity { PermissionId = id, Type = "SOURCE", ResourceId = s }).ToList()
                : [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
            Labels = labels.Select(l => l.Split(':')).Select(p => new PermissionLabelEntity { PermissionId = id, Key = p[0], Value = p[1] }).ToList(),
        };
    }

    /// <summary>A principal made of stored permissions, as <see cref="AccessService"/> makes one.</summary>
    public static Principal Principal(string workspaceId, PrincipalType type, string id, params PermissionEntity[] permissions) =>
        new(workspaceId, type, id, id, AccessService.Grants(permissions));

    public static Principal Owner(string workspaceId, string id = "usr_owner") =>
        Principal(workspaceId, PrincipalType.User, id, Permission(workspaceId, Roles.WorkspaceOwnerId));

    public static async Task<string> DefaultWorkspaceIdAsync(this JunctionTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        return (await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync()).Id;
    }

    /// <summary>Adds a workspace (after the default one) and answers its id.</summary>
    public static async Task<string> AddWorkspaceAsync(this JunctionTestServer server, string slug)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = new WorkspaceEntity { Id = Ids.New("ws"), Name = "Workspace " + slug, Slug = slug, CreatedAt = TimeProvider.System.GetUtcNow() };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        return workspace.Id;
    }

    /// <summary>Creates a token with these permissions (none: a Workspace Owner's) and answers its secret.</summary>
    public static async Task<string> AddTokenAsync(this JunctionTestServer server, string workspaceId, params PermissionEntity[] permissions)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var (_, secret) = await ApiTokens.CreateAsync(
            db, workspaceId, "seeded", TimeProvider.System, CancellationToken.None, permissions.Length == 0 ? null : permissions);
        return secret;
    }

    /// <summary>A Public API client with a new token holding these permissions (none: a Workspace Owner's).</summary>
    public static async Task<HttpClient> ClientAsync(this JunctionTestServer server, string workspaceId, params PermissionEntity[] permissions)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.AddTokenAsync(workspaceId, permissions));
        return client;
    }

    /// <summary>Adds a user who is a member of the workspace with these permissions, and answers the user's id.</summary>
    public static async Task<string> AddMemberAsync(this JunctionTestServer server, string workspaceId, string email, params PermissionEntity[] permissions)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized);
        if (user is null)
        {
            user = new UserEntity
            {
                Id = Ids.New("usr"),
                Email = email,
                NormalizedEmail = normalized,
                Name = email.Split('@')[0],
                PasswordHash = "not-a-real-hash",
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = TimeProvider.System.GetUtcNow(),
            };
            db.Users.Add(user);
        }

        db.WorkspaceMembers.Add(new WorkspaceMemberEntity { WorkspaceId = workspaceId, UserId = user.Id, JoinedAt = TimeProvider.System.GetUtcNow() });
        foreach (var permission in permissions)
        {
            permission.PrincipalKind = PrincipalKind.User;
            permission.PrincipalId = user.Id;
            db.Permissions.Add(permission);
        }

        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Adds a pending invite to the workspace and answers its id.</summary>
    public static async Task<string> AddInviteAsync(this JunctionTestServer server, string workspaceId, string email)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var now = TimeProvider.System.GetUtcNow();
        var invite = new InviteEntity
        {
            Id = Ids.New("inv"),
            WorkspaceId = workspaceId,
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            TokenHash = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
            ExpiresAt = now.AddDays(3),
            LastSentAt = now,
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync();
        return invite.Id;
    }

    /// <summary>Adds labels to the workspace (those missing) and puts them on a source, as if through the API.</summary>
    public static async Task LabelSourceAsync(this JunctionTestServer server, string sourceId, params string[] labels)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var source = await db.Sources.FirstAsync(s => s.Id == sourceId);
        foreach (var (key, value) in labels.Select(l => l.Split(':')).Select(p => (p[0], p[1])))
        {
            if (!await db.Labels.AnyAsync(l => l.WorkspaceId == source.WorkspaceId && l.Key == key && l.Value == value))
            {
                db.Labels.Add(new LabelEntity { WorkspaceId = source.WorkspaceId, Key = key, Value = value });
            }

            db.SourceLabels.Add(new SourceLabelEntity { SourceId = sourceId, Key = key, Value = value });
        }

        await db.SaveChangesAsync();
        await server.Services.GetRequiredService<SourceDirectory>().RefreshAsync(CancellationToken.None);
    }

    /// <summary>Adds a source to a workspace straight into the database and answers its id and write key.</summary>
    public static async Task<(string SourceId, string WriteKey)> AddSourceAsync(this JunctionTestServer server, string workspaceId, string slug)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var source = new SourceEntity
        {
            Id = Ids.New("src"),
            WorkspaceId = workspaceId,
            Slug = slug,
            Name = slug,
            CatalogId = "IqDTy1TpoU",
            CreatedAt = TimeProvider.System.GetUtcNow(),
        };
        var key = Ids.Random(32);
        source.WriteKeys.Add(new WriteKeyEntity { Key = key, SourceId = source.Id, CreatedAt = TimeProvider.System.GetUtcNow() });
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        await server.Services.GetRequiredService<SourceDirectory>().RefreshAsync(CancellationToken.None);
        return (source.Id, key);
    }
}
