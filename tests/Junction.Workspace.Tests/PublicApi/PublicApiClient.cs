using System.Net.Http.Headers;
using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.PublicApi;

/// <summary>What the workspace tests add to <see cref="PublicApiJson"/>: strict envelope checks on an answer, sources, and clients of other workspaces.</summary>
internal static class PublicApiClient
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.Content.Headers.ContentType?.MediaType == "application/json",
            $"Expected JSON, got {response.Content.Headers.ContentType} with status {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>The <c>data</c> member of a success envelope, after checking the status code.</summary>
    public static async Task<JsonElement> ReadDataAsync(this HttpResponseMessage response, int expectedStatus = 200)
    {
        var body = await response.ReadJsonAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.False(body.TryGetProperty("errors", out _), "A success envelope has no errors: " + body);
        return body.GetProperty("data");
    }

    /// <summary>The first error of an error envelope, after checking the status code and that there is no data.</summary>
    public static async Task<JsonElement> ReadErrorAsync(this HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.ReadJsonAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.False(body.TryGetProperty("data", out _), "An error envelope has no data: " + body);
        var errors = body.GetProperty("errors");
        Assert.True(errors.GetArrayLength() > 0, "The errors array is empty: " + body);
        var first = errors[0];
        Assert.False(string.IsNullOrEmpty(first.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("message").GetString()));
        return first;
    }

    /// <summary>Creates a source through the API and answers its JSON.</summary>
    public static async Task<JsonElement> CreateSourceAsync(this HttpClient client, string slug, string metadataId = "IqDTy1TpoU", bool enabled = true)
    {
        var response = await client.PostJsonAsync("sources", $$"""{"slug":"{{slug}}","enabled":{{(enabled ? "true" : "false")}},"metadataId":"{{metadataId}}"}""");
        return (await response.ReadDataAsync(201)).GetProperty("source");
    }

    /// <summary>
    /// Adds a workspace straight into the database and answers a client with a token for it. It is created after the
    /// default workspace, which therefore stays the one <see cref="JunctionTestServer.CreateApiClientAsync"/> uses.
    /// </summary>
    public static async Task<HttpClient> CreateWorkspaceClientAsync(this JunctionTestServer server, string slug)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var workspace = new WorkspaceEntity { Id = Ids.New("ws"), Name = "Workspace " + slug, Slug = slug, CreatedAt = TimeProvider.System.GetUtcNow() };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var (_, secret) = await ApiTokens.CreateAsync(db, workspace.Id, "tests", TimeProvider.System, CancellationToken.None);
        return server.ClientWithToken(secret);
    }

    public static HttpClient ClientWithToken(this JunctionTestServer server, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}

/// <summary>
/// One server and one Public API client shared by the tests of a class; tests use unique slugs. A second workspace
/// with a source is always there too (<see cref="Other"/> is its owner's client), so that every test runs beside
/// another workspace's data.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public JunctionTestServer Server { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public HttpClient Other { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await JunctionTestServer.StartAsync();
        Api = await Server.CreateApiClientAsync();
        Other = await Server.CreateWorkspaceClientAsync("fixture-second");
        await Other.CreateSourceAsync("second-workspace-source");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Other.Dispose();
        await Server.DisposeAsync();
    }
}
