using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Junction.Testing;

namespace Junction.Server.Tests.Durability;

/// <summary>
/// When an event cannot be stored the answer is 503 with Retry-After (which every Segment library retries), never
/// 200; and the server accepts events again as soon as space returns. The data directory is on a small tmpfs so the
/// disk really fills.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task WhenTheDiskIsFullEventsAre503AndAcceptedAgainOnceSpaceReturns()
    {
        await using var disk = await SmallFilesystem.TryMountAsync(megabytes: 48)
            ?? throw new InvalidOperationException("This test needs to mount a tmpfs (the test command runs as root).");
        var data = Path.Combine(disk.Path, "data");
        await using var server = await JunctionTestServer.StartAsync(data, settings: [("EventLog:MinFreeBytes", "0")]);
        var (sourceId, writeKey) = await server.CreateSourceAsync();
        using var api = await server.CreateApiClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await Send(server, writeKey, "before")).StatusCode);

        // Once the filesystem is full, an event may still fit in the last page of a segment file; keep sending
        // until the disk really refuses one.
        var filler = disk.Fill();
        var answers = new List<(string Id, HttpResponseMessage Response)>();
        HttpResponseMessage? healthWhileFull = null;
        for (var i = 0; i < 200 && healthWhileFull is null; i++)
        {
            var response = await Send(server, writeKey, $"while-full-{i}");
            answers.Add(($"while-full-{i}", response));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                healthWhileFull = await server.Http.GetAsync("health");
            }
        }

        var refused = answers.Where(a => a.Response.StatusCode != HttpStatusCode.OK).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Response.StatusCode));
        Assert.All(refused, a => Assert.NotNull(a.Response.Headers.RetryAfter));
        Assert.True(healthWhileFull!.StatusCode == HttpStatusCode.ServiceUnavailable, await healthWhileFull.Content.ReadAsStringAsync() + await refused[0].Response.Content.ReadAsStringAsync());

        File.Delete(filler);
        await Eventually.TrueAsync(async () => (await Send(server, writeKey, "after")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "events to be accepted again");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("health")).StatusCode);

        // Every event answered 200 while the disk was full is really stored; none answered 503 is.
        var accepted = (await api.GetFromJsonAsync<JsonElement>($"sources/{sourceId}/debugger/events?count=500"))
            .GetProperty("data").GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("status").GetString() == "accepted")
            .Select(e => e.GetProperty("messageId").GetString())
            .ToHashSet();
        Assert.All(answers.Where(a => a.Response.StatusCode == HttpStatusCode.OK), a => Assert.Contains(a.Id, accepted));
        Assert.All(refused, a => Assert.DoesNotContain(a.Id, accepted));
    }

    [Fact]
    public async Task BelowTheConfiguredFloorEventsAre503BeforeTheDiskIsActuallyFull()
    {
        await using var disk = await SmallFilesystem.TryMountAsync(megabytes: 64)
            ?? throw new InvalidOperationException("This test needs to mount a tmpfs (the test command runs as root).");
        var data = Path.Combine(disk.Path, "data");
        await using var server = await JunctionTestServer.StartAsync(data, settings: [("EventLog:MinFreeBytes", (24 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var (_, writeKey) = await server.CreateSourceAsync();

        var filler = disk.Fill(leaveBytes: 16 * 1024 * 1024);
        var refused = await Send(server, writeKey, "below-floor");
        File.Delete(filler);
        var accepted = await Send(server, writeKey, "above-floor");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static Task<HttpResponseMessage> Send(JunctionTestServer server, string writeKey, string id) =>
        server.PostTrackingAsync("v1/batch", $$"""{"batch":[{"type":"track","userId":"u","event":"Disk Test","messageId":"{{id}}"}]}""", writeKey);
}
