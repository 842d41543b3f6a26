using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Server.Tests.Compatibility;

/// <summary>Segment's own Node.js libraries send to Junction with only the host changed, and every call arrives normalized.</summary>
public sealed class SegmentNodeLibrariesTests
{
    [Theory]
    [InlineData("send-analytics-node.mjs", "@segment/analytics-node", "node-user")]
    [InlineData("send-analytics-node-legacy.mjs", "analytics-node", "legacy-user")]
    public async Task EveryCallTypeArrivesAcceptedAndNormalized(string script, string library, string userId)
    {
        await using var server = await JunctionTestServer.StartAsync();
        var (sourceId, writeKey) = await server.CreateSourceAsync();
        using var api = await server.CreateApiClientAsync();
        var runId = Guid.NewGuid().ToString("N")[..10];

        var (exitCode, output, error) = await Node.RunAsync(script, server.BaseAddress.ToString().TrimEnd('/'), writeKey, runId);
        Assert.True(exitCode == 0, $"{script} failed:\n{output}\n{error}");

        var expected = new[] { "identify", "track", "page", "screen", "group", "alias" };
        var events = await Eventually.GetAsync(async () =>
        {
            var body = await api.GetFromJsonAsync<JsonElement>($"sources/{sourceId}/debugger/events?count=100");
            var found = body.GetProperty("data").GetProperty("events").EnumerateArray()
                .Where(e => e.TryGetProperty("messageId", out var m) && m.GetString()!.StartsWith(runId, StringComparison.Ordinal))
                .ToDictionary(e => e.GetProperty("messageId").GetString()![(runId.Length + 1)..], e => e.Clone());
            return found.Count == expected.Length ? found : null;
        }, TimeSpan.FromSeconds(30), "all six calls in the debugger");

        foreach (var type in expected)
        {
            var entry = events[type];
            Assert.Equal("accepted", entry.GetProperty("status").GetString());
            Assert.Equal(type, entry.GetProperty("type").GetString());
            var normalized = entry.GetProperty("event");
            Assert.Equal(type, normalized.GetProperty("type").GetString());
            Assert.Equal(sourceId, normalized.GetProperty("projectId").GetString());
            Assert.Equal(library, normalized.GetProperty("context").GetProperty("library").GetProperty("name").GetString());
            Assert.Equal("server", normalized.GetProperty("channel").GetString());
            Assert.False(normalized.GetProperty("context").TryGetProperty("ip", out _));
            foreach (var field in new[] { "receivedAt", "timestamp", "originalTimestamp", "sentAt" })
            {
                Assert.True(normalized.TryGetProperty(field, out var value) && value.GetString()!.EndsWith('Z'), $"{type}.{field}");
            }
        }

        Assert.Equal("Order Completed", events["track"].GetProperty("event").GetProperty("event").GetString());
        Assert.Equal("acme", events["group"].GetProperty("event").GetProperty("groupId").GetString());
        Assert.Equal(userId, events["alias"].GetProperty("event").GetProperty("userId").GetString());
    }
}
