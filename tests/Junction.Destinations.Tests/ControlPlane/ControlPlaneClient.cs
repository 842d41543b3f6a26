using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Testing;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Destinations.Tests.ControlPlane;

/// <summary>Raw JSON in, parsed JSON out, as a Public API client talks; and a second workspace for isolation tests.</summary>
internal static class ControlPlaneClient
{
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Post, path, json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Patch, path, json);

    public static async Task<(int Status, JsonElement Body)> ReadAsync(this Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    /// <summary>The <c>data</c> of a 200 answer.</summary>
    public static async Task<JsonElement> DataAsync(this Task<HttpResponseMessage> sending)
    {
        var (status, body) = await sending.ReadAsync();
        Assert.True(status == 200, $"Expected 200, got {status}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>The first error of a failure answer, after checking the status.</summary>
    public static async Task<JsonElement> ErrorAsync(this Task<HttpResponseMessage> sending, int expectedStatus)
    {
        var (status, body) = await sending.ReadAsync();
        Assert.True(status == expectedStatus, $"Expected {expectedStatus}, got {status}: {body}");
        return body.GetProperty("errors")[0];
    }

    public static async Task<string> CreateDestinationAsync(this HttpClient client, string sourceId, string settings = "{}", bool enabled = false)
    {
        var data = await client.PostJsonAsync("destinations",
            $$"""{"sourceId":"{{sourceId}}","metadataId":"{{TestDestinations.ActionsId}}","enabled":{{(enabled ? "true" : "false")}},"settings":{{settings}}}""").DataAsync();
        return data.GetProperty("destination").GetProperty("id").GetString()!;
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
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var source = await client.PostJsonAsync("sources", """{"slug":"other-source","metadataId":"IqDTy1TpoU"}""").ReadAsync();
        return (client, source.Body.GetProperty("data").GetProperty("source").GetProperty("id").GetString()!);
    }

    public static IEnumerable<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);
}
