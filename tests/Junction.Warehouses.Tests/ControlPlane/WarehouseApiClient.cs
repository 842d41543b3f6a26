using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Syncing;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// What the warehouses control-plane tests share: a whole server with fake loaders and a fake sync history, raw JSON
/// in and parsed JSON out as a Public API client talks, tokens holding a role on chosen warehouses, and a second
/// workspace for isolation tests.
/// </summary>
internal static class WarehouseApiClient
{
    /// <summary>Starts a server whose warehouses are reached through <paramref name="loaders"/> and whose syncs are <paramref name="syncs"/>.</summary>
    public static Task<JunctionTestServer> StartAsync(FakeWarehouseLoaders loaders, FakeWarehouseSyncs syncs) =>
        JunctionTestServer.StartAsync(configure: builder => Use(builder, loaders, syncs));

    public static void Use(WebApplicationBuilder builder, FakeWarehouseLoaders loaders, FakeWarehouseSyncs syncs)
    {
        builder.Services.AddSingleton<IWarehouseLoaders>(loaders);
        builder.Services.AddSingleton<IWarehouseSyncs>(syncs);
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Post, path, json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Patch, path, json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Put, path, json);

    public static async Task<(int Status, JsonElement Body)> ReadAsync(this Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    /// <summary>The <c>data</c> of an answer with <paramref name="expectedStatus"/>.</summary>
    public static async Task<JsonElement> DataAsync(this Task<HttpResponseMessage> sending, int expectedStatus = 200)
    {
        var (status, body) = await sending.ReadAsync();
        Assert.True(status == expectedStatus, $"Expected {expectedStatus}, got {status}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>The only error of a failure answer, after checking the status.</summary>
    public static async Task<JsonElement> ErrorAsync(this Task<HttpResponseMessage> sending, int expectedStatus)
    {
        var (status, body) = await sending.ReadAsync();
        Assert.True(status == expectedStatus, $"Expected {expectedStatus}, got {status}: {body}");
        return Assert.Single(body.GetProperty("errors").EnumerateArray());
    }

    /// <summary>Creates a warehouse through the API and answers its id.</summary>
    public static async Task<string> CreateWarehouseAsync(this HttpClient client, string metadataId = "duckdb", string settings = "{}", string? name = null)
    {
        var named = name is null ? "" : $",\"name\":\"{name}\"";
        var data = await client.PostJsonAsync("warehouses", $$"""{"metadataId":"{{metadataId}}","settings":{{settings}}{{named}}}""").DataAsync(201);
        return data.GetProperty("warehouse").GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A client for the default workspace whose token holds <paramref name="roleId"/> on <paramref name="warehouseIds"/>
    /// (or on the whole workspace when none are given), plus Source Admin on <paramref name="adminOfSources"/>.
    /// </summary>
    public static async Task<HttpClient> ClientWithWarehouseRoleAsync(
        this JunctionTestServer server, string roleId, IReadOnlyList<string>? warehouseIds = null, IReadOnlyList<string>? adminOfSources = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var permissions = new List<PermissionEntity> { Permission(workspace.Id, roleId, "WAREHOUSE", warehouseIds) };
        if (adminOfSources is { Count: > 0 })
        {
            permissions.Add(Permission(workspace.Id, "source-admin", "SOURCE", adminOfSources));
        }

        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, roleId, TimeProvider.System, CancellationToken.None, permissions);
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>A second workspace with an owner token and a source, straight in the database.</summary>
    public static async Task<(HttpClient Owner, string SourceId)> AddOtherWorkspaceAsync(this JunctionTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = new WorkspaceEntity { Id = Ids.New("ws"), Name = "Other", Slug = "other", CreatedAt = TimeProvider.System.GetUtcNow() };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, "other owner", TimeProvider.System, CancellationToken.None);
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var source = await client.PostJsonAsync("sources", """{"slug":"other-source","metadataId":"IqDTy1TpoU"}""").DataAsync(201);
        return (client, source.GetProperty("source").GetProperty("id").GetString()!);
    }

    private static PermissionEntity Permission(string workspaceId, string roleId, string type, IReadOnlyList<string>? ids)
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
                ? ids.Select(r => new PermissionResourceEntity { PermissionId = id, Type = type, ResourceId = r }).ToList()
                : [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
        };
    }
}
