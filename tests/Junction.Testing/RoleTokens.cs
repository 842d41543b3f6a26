using System.Net.Http.Headers;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Testing;

/// <summary>Public API clients whose token holds chosen roles, for tests of what each role may do.</summary>
public static class RoleTokens
{
    /// <summary>
    /// A client for the default workspace whose token holds <paramref name="roleId"/> on the whole workspace, or on
    /// <paramref name="sourceIds"/> when given, narrowed to sources carrying all of <paramref name="labels"/>
    /// (<c>key:value</c>).
    /// </summary>
    public static Task<HttpClient> CreateApiClientWithRoleAsync(
        this JunctionTestServer server, string roleId, IReadOnlyList<string>? sourceIds = null, params string[] labels) =>
        ClientAsync(server, roleId, workspaceId =>
        {
            var permission = Permission(workspaceId, roleId, "SOURCE", sourceIds);
            permission.Labels = labels.Select(l => l.Split(':', 2))
                .Select(p => new PermissionLabelEntity { PermissionId = permission.Id, Key = p[0], Value = p[1] })
                .ToList();
            return [permission];
        });

    /// <summary>
    /// A client for the default workspace whose token holds each permission given: a role on resources of one type
    /// (<c>SOURCE</c>, <c>WAREHOUSE</c>) by id, or on the whole workspace when no ids are given.
    /// </summary>
    public static Task<HttpClient> CreateApiClientWithPermissionsAsync(
        this JunctionTestServer server, params (string RoleId, string ResourceType, IReadOnlyList<string>? Ids)[] permissions) =>
        ClientAsync(server, "permissions", workspaceId => [.. permissions.Select(p => Permission(workspaceId, p.RoleId, p.ResourceType, p.Ids))]);

    private static async Task<HttpClient> ClientAsync(JunctionTestServer server, string name, Func<string, List<PermissionEntity>> permissions)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, name, TimeProvider.System, CancellationToken.None, permissions(workspace.Id));
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static PermissionEntity Permission(string workspaceId, string roleId, string resourceType, IReadOnlyList<string>? ids)
    {
        var id = Ids.New("perm");
        return new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspaceId,
            PrincipalId = "",
            RoleId = roleId,
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Resources = ids is { Count: > 0 }
                ? ids.Select(r => new PermissionResourceEntity { PermissionId = id, Type = resourceType, ResourceId = r }).ToList()
                : [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
        };
    }
}
