using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Protocols.Observation;
using Junction.Protocols.Processing;
using Junction.Testing;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Protocols.Tests.ControlPlane;

/// <summary>
/// What the Protocols control-plane tests share: a whole server (with a fake schema inventory when a test needs
/// observed events), raw JSON in and parsed JSON out as a Public API client talks, tokens holding chosen roles, a
/// second workspace for isolation tests, and rule schemas in Segment's shape.
/// </summary>
internal static class ProtocolsApiClient
{
    /// <summary>Starts a server; with <paramref name="inventory"/>, the schema view's data comes from it.</summary>
    public static Task<JunctionTestServer> StartAsync(FakeSchemaInventory? inventory = null) =>
        JunctionTestServer.StartAsync(configure: builder =>
        {
            if (inventory is not null)
            {
                builder.Services.AddSingleton<ISchemaInventory>(inventory);
            }
        });

    public static ProtocolsDirectory Directory(this JunctionTestServer server) => server.Services.GetRequiredService<ProtocolsDirectory>();

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

    /// <summary>Creates a plan through the API and answers its id.</summary>
    public static async Task<string> CreatePlanAsync(this HttpClient client, string name = "Web plan")
    {
        var data = await client.PostJsonAsync("tracking-plans", $$"""{"name":"{{name}}","type":"LIVE"}""").DataAsync(201);
        return data.GetProperty("trackingPlan").GetProperty("id").GetString()!;
    }

    /// <summary>Replaces a plan's rules through the API.</summary>
    public static async Task PutRulesAsync(this HttpClient client, string planId, params string[] rules) =>
        Assert.Equal("SUCCESS", (await client.PutJsonAsync($"tracking-plans/{planId}/rules", $$"""{"rules":[{{string.Join(",", rules)}}]}""").DataAsync())
            .GetProperty("status").GetString());

    /// <summary>The plan's rules, as the API lists them (one page of up to 1,000).</summary>
    public static async Task<List<JsonElement>> RulesAsync(this HttpClient client, string planId) =>
        (await client.GetAsync($"tracking-plans/{planId}/rules?pagination[count]=1000").DataAsync()).GetProperty("rules").EnumerateArray().ToList();

    /// <summary>A TRACK rule in Segment's shape whose properties are <paramref name="properties"/> (name → type), none required unless listed.</summary>
    public static string Track(string key, int version = 1, string properties = """{"order_id":{"type":"string"}}""", string required = "[]") =>
        $$"""{"type":"TRACK","key":"{{key}}","version":{{version}},"jsonSchema":{{TrackSchema(properties, required)}}}""";

    public static string TrackSchema(string properties = """{"order_id":{"type":"string"}}""", string required = "[]") =>
        $$$"""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"properties":{"type":"object","properties":{{{properties}}},"required":{{{required}}}}},"required":["properties"]}""";

    /// <summary>An IDENTIFY (or GROUP) rule whose traits are <paramref name="traits"/>.</summary>
    public static string Traits(string type = "IDENTIFY", string traits = """{"email":{"type":"string"}}""", int version = 1) =>
        $$$"""{"type":"{{{type}}}","version":{{{version}}},"jsonSchema":{{{TraitsSchema(traits)}}}}""";

    public static string TraitsSchema(string traits = """{"email":{"type":"string"}}""") =>
        """{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"traits":{"type":"object","properties":"""
        + traits + "}}}";

    /// <summary>
    /// A client for the default workspace whose token holds each role given: <c>(roleId, null)</c> on the whole
    /// workspace, or <c>(roleId, [sourceIds])</c> on those sources.
    /// </summary>
    public static async Task<HttpClient> ClientWithRolesAsync(this JunctionTestServer server, params (string RoleId, string[]? SourceIds)[] roles)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstAsync();
        var permissions = roles.Select(r => Permission(workspace.Id, r.RoleId, r.SourceIds)).ToList();
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, "roles", TimeProvider.System, CancellationToken.None, permissions);
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

    private static PermissionEntity Permission(string workspaceId, string roleId, string[]? sourceIds)
    {
        var id = Ids.New("perm");
        return new PermissionEntity
        {
            Id = id,
            WorkspaceId = workspaceId,
            PrincipalId = "",
            RoleId = roleId,
            CreatedAt = TimeProvider.System.GetUtcNow(),
            Resources = sourceIds is { Length: > 0 }
                ? sourceIds.Select(s => new PermissionResourceEntity { PermissionId = id, Type = "SOURCE", ResourceId = s }).ToList()
                : [new PermissionResourceEntity { PermissionId = id, Type = "WORKSPACE", ResourceId = workspaceId }],
        };
    }
}

/// <summary>A schema inventory holding a fixed list of observed events per source; the flag setters are not used by these tests.</summary>
internal sealed class FakeSchemaInventory : ISchemaInventory
{
    public Dictionary<string, List<ObservedEvent>> Events { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ObservedEvent>> ListAsync(string sourceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ObservedEvent>>(Events.GetValueOrDefault(sourceId) ?? []);

    public Task SetEventBlockedAsync(string sourceId, string type, string name, bool blocked, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task SetEventArchivedAsync(string sourceId, string type, string name, bool archived, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task SetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
