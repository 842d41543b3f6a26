using System.Net;
using Junction.Testing;

namespace Junction.Ingest.Tests.Tracking;

public sealed class TrackingLimitsTests
{
    [Fact]
    public async Task ASourceOverItsRateIsAnswered429WithRetryAfterAndOtherSourcesAreNot()
    {
        await using var server = await JunctionTestServer.StartAsync(settings: [("Tracking:SourceEventsPerSecond", "2"), ("Tracking:SourceBurst", "3")]);
        var (_, busy) = await server.CreateSourceAsync("busy");
        var (_, quiet) = await server.CreateSourceAsync("quiet");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await server.PostTrackingAsync("v1/track", $$"""{"userId":"u","event":"E","messageId":"m-{{i}}"}""", busy)).StatusCode);
        }

        var limited = await server.PostTrackingAsync("v1/track", """{"userId":"u","event":"E"}""", busy);
        var other = await server.PostTrackingAsync("v1/track", """{"userId":"u","event":"E"}""", quiet);

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("rate_limited", (await limited.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task WhenTheEventLogCannotStoreTheAnswerIs503WithRetryAfterAndNothingIsShownAsAccepted()
    {
        await using var server = await JunctionTestServer.StartAsync(settings: [("EventLog:MinFreeBytes", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var (sourceId, writeKey) = await server.CreateSourceAsync();
        using var api = await server.CreateApiClientAsync();

        var response = await server.PostTrackingAsync("v1/batch", """{"batch":[{"type":"track","userId":"u","event":"E","messageId":"m-full"}]}""", writeKey);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("storage_full", (await response.JsonAsync()).GetProperty("code").GetString());
        Assert.DoesNotContain(await api.DebuggerEventsAsync(sourceId), e => e.GetProperty("status").GetString() == "accepted");
        var health = await server.Http.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }
}
