using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Workspace;
using Junction.Workspace.Data;
using Junction.Workspace.PublicApi;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Junction.Testing;

/// <summary>
/// The Public API as a client talks to it in tests: raw JSON in, parsed JSON out, Segment's <c>{"data": …}</c> and
/// <c>{"errors": [...]}</c> envelopes checked with the status; and a second workspace for isolation tests.
/// </summary>
public static class PublicApiJson
{
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Post, path, json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Patch, path, json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.SendJsonAsync(HttpMethod.Put, path, json);

    /// <summary>The status and the parsed body (default when empty) of an answer.</summary>
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

    /// <summary>The strings of a JSON array.</summary>
    public static IEnumerable<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    /// <summary>A second workspace with an owner token and a source named <c>other-source</c>, made straight in the database.</summary>
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
}
