using System.Text.Json;
using Junction.Testing;

namespace Junction.Destinations.Tests.ControlPlane;

/// <summary>
/// Segment's own TypeScript Public API client manages destinations on Junction unchanged:
/// tests/fixtures/node/public-api-destinations.mjs makes the calls and prints what each answered.
/// </summary>
public sealed class DestinationsSdkTests
{
    [Fact]
    public async Task WhenSegmentsTypeScriptClientManagesADestinationEveryCallSucceeds()
    {
        await using var server = await JunctionTestServer.StartAsync(configure: TestDestinations.Register);
        var token = await server.CreateTokenAsync("sdk");
        var (sourceId, _) = await server.CreateSourceAsync("sdk-web");

        var (exitCode, output, error) = await Node.RunAsync(
            "public-api-destinations.mjs", new Uri(server.BaseAddress, "api").ToString(), token, sourceId, TestDestinations.ActionsId);

        Assert.True(exitCode == 0, $"node exited with {exitCode}:\n{error}\n{output}");
        var result = JsonSerializer.Deserialize<JsonElement>(output);
        Assert.Equal("probe-actions", result.GetProperty("metadata").GetProperty("slug").GetString());
        Assert.True(result.GetProperty("catalogCount").GetInt32() >= 2);

        var created = result.GetProperty("created");
        var id = created.GetProperty("id").GetString();
        Assert.Equal("••••6789", created.GetProperty("settings").GetProperty("apiKey").GetString());
        Assert.Equal([id], result.GetProperty("listed").Strings());
        Assert.Equal([id], result.GetProperty("connected").Strings());

        Assert.Equal("identifyUser", result.GetProperty("subscription").GetProperty("actionSlug").GetString());
        Assert.Equal(["Track Calls", "SDK identify"], result.GetProperty("subscriptions").Strings());
        Assert.Equal("SDK identify (renamed)", result.GetProperty("updatedSubscription").GetProperty("name").GetString());
        Assert.Equal(["No secrets"], result.GetProperty("filters").Strings());

        var preview = result.GetProperty("preview");
        Assert.Equal("a@example.com", preview.GetProperty("inputPayload").GetProperty("properties").GetProperty("email").GetString());
        Assert.False(preview.GetProperty("result").GetProperty("properties").TryGetProperty("email", out _));

        var badTrigger = result.GetProperty("badTrigger");
        Assert.True(badTrigger.GetProperty("threw").GetBoolean());
        Assert.Equal("trigger", badTrigger.GetProperty("field").GetString());

        Assert.Equal("SUCCESS", result.GetProperty("deleted").GetProperty("status").GetString());
        Assert.Equal("not-found", result.GetProperty("notFound").GetProperty("type").GetString());
    }
}
