using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Destinations.Catalog.WebhooksActions;
using Junction.Testing;

namespace Junction.Destinations.Tests.EndToEnd;

/// <summary>
/// The whole path in one running server: a Webhooks (Actions) destination created through the Public API, events
/// posted to the Tracking API with the source's write key, the events arriving at a local webhook sink in each user's
/// order, and "where is my event?" answered by the trace for a delivered and for a filtered event.
/// </summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task EventsPostedToTheTrackingApiArriveAtTheWebhookInEachUsersOrderAndTheirTracesSaySo()
    {
        await using var sink = await FakeApi.StartAsync();
        await using var server = await JunctionTestServer.StartAsync();
        using var api = await server.CreateApiClientAsync();
        var (sourceId, writeKey) = await server.CreateSourceAsync("web");
        var created = await api.PostJsonAsync("destinations",
            $$$"""{"sourceId":"{{{sourceId}}}","metadataId":"{{{WebhooksActionsDestination.Definition.Id}}}","name":"Order hook","enabled":true,"settings":{}}""").DataAsync();
        var destinationId = created.GetProperty("destination").GetProperty("id").GetString()!;
        await api.PostJsonAsync($"destinations/{destinationId}/subscriptions",
            """{"name":"Tracks","actionId":"send","trigger":"type = \"track\"","enabled":true,"settings":{"url":""" + JsonSerializer.Serialize(sink.BaseUrl + "/hook")
            + ""","method":"POST","data":{"@path":"$."}}}""").DataAsync();

        using var tracking = new HttpClient { BaseAddress = server.BaseAddress };
        tracking.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        using var sent = await tracking.PostAsync("v1/batch", new StringContent("""
            {"batch":[
              {"type":"track","userId":"u1","event":"Cart Viewed","messageId":"m-1"},
              {"type":"track","userId":"u2","event":"Cart Viewed","messageId":"m-2"},
              {"type":"identify","userId":"u1","traits":{"plan":"pro"},"messageId":"m-3"},
              {"type":"track","userId":"u1","event":"Order Completed","messageId":"m-4","properties":{"revenue":42}}
            ]}
            """, Encoding.UTF8, "application/json"));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

        await Eventually.TrueAsync(() => Task.FromResult(sink.Received.Count >= 3), TimeSpan.FromSeconds(30), "three tracks at the webhook");
        var bodies = sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(sink.Received, r => Assert.Equal(("POST", "/hook"), (r.Method, r.Path)));
        Assert.Equal(["m-1", "m-2", "m-4"], bodies.Select(b => b.GetProperty("messageId").GetString()).Order());
        Assert.Equal(["m-1", "m-4"], bodies.Where(b => b.GetProperty("userId").GetString() == "u1").Select(b => b.GetProperty("messageId").GetString()));
        Assert.Equal(42, bodies.Single(b => b.GetProperty("messageId").GetString() == "m-4").GetProperty("properties").GetProperty("revenue").GetInt32());

        var delivered = await TraceAsync(api, sourceId, "m-4", "DELIVERED");
        Assert.Contains(delivered.GetProperty("steps").EnumerateArray(), s => s.GetProperty("state").GetString() == "QUEUED");
        Assert.Equal(200, delivered.GetProperty("steps").EnumerateArray().Last().GetProperty("statusCode").GetInt32());
        var filtered = await TraceAsync(api, sourceId, "m-3", "FILTERED");
        Assert.StartsWith("FILTERED_AT_MAPPING", filtered.GetProperty("steps")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The trace of one event at the only destination, once it has reached <paramref name="finalState"/>.</summary>
    private static async Task<JsonElement> TraceAsync(HttpClient api, string sourceId, string messageId, string finalState)
    {
        JsonElement trace = default;
        await Eventually.TrueAsync(async () =>
        {
            var data = await api.GetAsync($"events/{messageId}/trace?sourceId={sourceId}").DataAsync();
            var destinations = data.GetProperty("destinations");
            if (destinations.GetArrayLength() == 0 || destinations[0].GetProperty("finalState").GetString() != finalState)
            {
                return false;
            }

            trace = destinations[0].Clone();
            return true;
        }, TimeSpan.FromSeconds(30), $"the trace of {messageId} to say {finalState}");
        return trace;
    }
}
