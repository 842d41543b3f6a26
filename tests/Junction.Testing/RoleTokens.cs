using System.Net.Http.Headers;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Testing;

/// <summary>Public API clients whose token holds one chosen role, for tests of what each role may do.</summary>
public static class RoleTokens
{
    /// <summary>
    /// A client for the default workspace whose token holds <paramref name="roleId"/> on the whole workspace, or on
    /// <paramref name="sourceIds"/> when given, narrowed to sources carrying all of <paramref name="labels"/>
    /// (<c>key:value</c>).
    /// </summary>
    public static async Task<HttpClient> CreateApiClientWithRoleAsync(
        this JunctionTestServer server, string roleId, IReadOnlyList<string>? sourceIds = null, params string[] labels)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var id = Ids.New("perm");
        var permission = new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspace.Id,
            PrincipalId = "",
            RoleId = roleId,
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Resources = sourceIds is { Count: > 0 }
                ? sourceIds.Select(s => new PermissionResourceEntity { PermissionId = id, Type = "SOURCE", ResourceId = s }).ToList()
                : [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspace.Id }],
            Labels = labels.Select(l => l.Split(':', 2))
                .Select(p => new PermissionLabelEntity { PermissionId = id, Key = p[0], Value = p[1] })
                .ToList(),
        };
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, roleId, TimeProvider.System, CancellationToken.None, [permission]);
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }
}
