using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Catalog;

namespace Junction.Workspace.Tests.PublicApi;

/// <summary>
/// Segment's own TypeScript Public API client (@segment/public-api-sdk-typescript) works against Junction unchanged:
/// tests/fixtures/node/public-api-client.mjs makes the calls with it and prints what each answered.
/// </summary>
public sealed class PublicApiSdkTests
{
    [Fact]
    public async Task WhenSegmentsTypeScriptClientManagesSourcesEveryCallSucceedsAndErrorsUnwrapToTheFirstError()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var token = await server.CreateTokenAsync("sdk");

        var (exitCode, output, error) = await Node.RunAsync("public-api-client.mjs", new Uri(server.BaseAddress, "api").ToString(), token);

        Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{error}\n{output}");
        var result = JsonSerializer.Deserialize<JsonElement>(output);

        Assert.Equal("my-workspace", result.GetProperty("workspace").GetProperty("slug").GetString());

        var catalogPages = result.GetProperty("catalogPages").EnumerateArray().Select(p => p.Strings().ToList()).ToList();
        Assert.All(catalogPages.SkipLast(1), page => Assert.Equal(5, page.Count));
        Assert.Equal(SourceCatalog.All.Select(e => e.Id), catalogPages.SelectMany(p => p));
        Assert.Equal("javascript", result.GetProperty("javascript").GetProperty("slug").GetString());

        Assert.Equal(201, result.GetProperty("createStatus").GetInt32());
        var created = result.GetProperty("created");
        Assert.Equal("sdk-website", created.GetProperty("slug").GetString());
        Assert.Equal("IqDTy1TpoU", created.GetProperty("metadata").GetProperty("id").GetString());
        Assert.Single(created.GetProperty("writeKeys").Strings());

        var listPages = result.GetProperty("listPages").EnumerateArray().Select(p => p.Strings().ToList()).ToList();
        Assert.Equal([["sdk-node", "sdk-python"], ["sdk-website"]], listPages);

        var updated = result.GetProperty("updated");
        Assert.Equal("SDK Website", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("set by the SDK", updated.GetProperty("settings").GetProperty("note").GetString());

        var twoKeys = result.GetProperty("withTwoKeys").GetProperty("writeKeys").Strings().ToList();
        Assert.Equal(2, twoKeys.Count);
        Assert.Equal("SUCCESS", result.GetProperty("removeKey").GetProperty("status").GetString());
        var fetched = result.GetProperty("fetched");
        Assert.Equal([twoKeys[1]], fetched.GetProperty("source").GetProperty("writeKeys").Strings());
        Assert.Equal(JsonValueKind.Null, fetched.GetProperty("trackingPlanId").ValueKind);

        var lastKey = result.GetProperty("lastKeyRefused");
        Assert.True(lastKey.GetProperty("threw").GetBoolean());
        Assert.Equal("writeKey", lastKey.GetProperty("field").GetString());

        Assert.Equal("SUCCESS", result.GetProperty("deleted").GetProperty("status").GetString());

        var notFound = result.GetProperty("notFound");
        Assert.True(notFound.GetProperty("threw").GetBoolean());
        Assert.False(notFound.GetProperty("isError").GetBoolean(), "unwrap() throws the errors[0] object itself, not an Error");
        Assert.Equal("not-found", notFound.GetProperty("type").GetString());
        Assert.Equal("Source not found.", notFound.GetProperty("message").GetString());

        var badSlug = result.GetProperty("badSlug");
        Assert.Equal("input-validation", badSlug.GetProperty("type").GetString());
        Assert.Equal("slug", badSlug.GetProperty("field").GetString());
    }
}
