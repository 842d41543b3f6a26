using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Destinations.Catalog.WebhooksActions;
using Junction.Testing;

namespace Junction.Destinations.Tests.EndToEnd;

/// <summary>
/// Kill -9 in the middle of delivery: the server runs as its own process, delivering to a slow webhook, and is killed
/// with SIGKILL; after a restart every accepted event reaches the webhook, and an event delivered twice carries the
/// same messageId both times (the key the receiver dedupes on).
/// </summary>
public sealed class DeliveryCrashTests
{
    private const int Events = 1500;

    [Fact]
    public async Task AfterKill9DuringDeliveryEveryEventArrivesAndRepeatsCarryTheSameMessageId()
    {
        using var data = new TempDirectory();
        var (sourceId, writeKey) = await ControlPlaneSeed.CreateSourceAsync(data.Path);
        var (exitCode, token, errors) = await ServerProcess.RunVerbAsync("tokens", "create", "--name", "crash-test", "--data", data.Path);
        Assert.True(exitCode == 0, errors);
        await using var sink = await FakeApi.StartAsync();
        sink.AnswerAlways(new FakeAnswer(200, Delay: TimeSpan.FromMilliseconds(15)));

        var server = await ServerProcess.StartAsync(data.Path);
        using (var api = Api(server.BaseAddress, token.Trim()))
        {
            var created = await api.PostJsonAsync("destinations",
                $$$"""{"sourceId":"{{{sourceId}}}","metadataId":"{{{WebhooksActionsDestination.Definition.Id}}}","enabled":true,"settings":{}}""").DataAsync();
            var destinationId = created.GetProperty("destination").GetProperty("id").GetString();
            await api.PostJsonAsync($"destinations/{destinationId}/subscriptions",
                """{"name":"All tracks","actionId":"send","trigger":"type = \"track\"","enabled":true,"settings":{"url":""" + JsonSerializer.Serialize(sink.BaseUrl + "/hook")
                + ""","method":"POST","data":{"@path":"$."}}}""").DataAsync();
        }

        using (var tracking = Tracking(server.BaseAddress, writeKey))
        {
            for (var first = 0; first < Events; first += 100)
            {
                var batch = string.Join(',', Enumerable.Range(first, 100).Select(i => $$$"""{"type":"track","userId":"user-{{{i % 50}}}","event":"Step","messageId":"m-{{{i}}}","properties":{"n":{{{i}}}}}"""));
                using var response = await tracking.PostAsync("v1/batch", new StringContent($$"""{"batch":[{{batch}}]}""", Encoding.UTF8, "application/json"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Received.Count >= 200), TimeSpan.FromSeconds(60), "delivery to be under way");
        await server.KillAsync();
        await server.DisposeAsync();
        var beforeRestart = sink.Received.Count;
        Assert.True(beforeRestart < Events, "the kill came before delivery had finished");

        await using var restarted = await ServerProcess.StartAsync(data.Path);
        await Eventually.TrueAsync(() => Task.FromResult(Delivered(sink).Count == Events), TimeSpan.FromSeconds(120), "every event at the webhook after the restart");

        var bodies = sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        foreach (var repeated in bodies.GroupBy(b => b.GetProperty("messageId").GetString()).Where(g => g.Count() > 1))
        {
            Assert.Single(repeated.Select(b => b.GetProperty("properties").GetProperty("n").GetInt32()).Distinct());
        }
    }

    private static HashSet<string> Delivered(FakeApi sink) =>
        [.. sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("messageId").GetString()!)];

    private static HttpClient Api(Uri server, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server, "api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static HttpClient Tracking(Uri server, string writeKey)
    {
        var client = new HttpClient { BaseAddress = server };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }
}
