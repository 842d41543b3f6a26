using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Webhooks;
using Junction.Destinations.Framework;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.Webhooks;

public sealed class WebhooksDestinationTests : IAsyncLifetime
{
    private const string TrackEvent = """
        {"type":"track","userId":"u1","event":"Item Purchased","properties":{"revenue":39.95,"name":"Café <crème> & thé"},
         "messageId":"m-123","timestamp":"2024-05-01T10:00:00.000Z","context":{"ip":"1.2.3.4"},"integrations":{}}
        """;

    private static readonly HttpClient Http = new();
    private readonly WebhooksDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheWholeEventIsPostedAsJsonWithSegmentsUserAgentAndNoSignatureWithoutASecret()
    {
        var result = await SendAsync(new JsonObject { ["globalHook"] = _api.BaseUrl + "/hook" });

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("Segment.io/1.0", request.Header("User-Agent"));
        Assert.Null(request.Header("X-Signature"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TrackEvent), JsonNode.Parse(request.Body)));
    }

    [Fact]
    public async Task WhenTheSharedSecretIsSetTheBodyIsSignedWithHmacSha1()
    {
        await SendAsync(new JsonObject { ["globalHook"] = _api.BaseUrl + "/hook", ["sharedSecret"] = "s3cret" });

        var request = Assert.Single(_api.Received);
        var expected = Convert.ToHexStringLower(HMACSHA1.HashData("s3cret"u8, Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(expected, request.Header("X-Signature"));
        Assert.Contains("Café <crème> & thé", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachHookGetsTheEventWithItsOwnStaticHeadersAsListOrObject()
    {
        var settings = Settings(
            """{"hook":"{{base}}/a","headers":[{"key":"Authorization","value":"Basic abc"}]}""",
            """{"hook":"{{base}}/b","headers":{"X-Team":"growth"}}""");

        var result = await SendAsync(settings);

        Assert.Equal(200, result.Status);
        var a = Assert.Single(_api.Received, r => r.Path == "/a");
        var b = Assert.Single(_api.Received, r => r.Path == "/b");
        Assert.Equal("Basic abc", a.Header("Authorization"));
        Assert.Null(a.Header("X-Team"));
        Assert.Equal("growth", b.Header("X-Team"));
        Assert.Equal(a.Body, b.Body);
    }

    [Fact]
    public async Task WhenOneHookTakesTheEventItIsDeliveredEvenThoughAnotherFails()
    {
        _api.AnswerAlways(r => new FakeAnswer(r.Path == "/a" ? 500 : 200));

        var result = await SendAsync(Settings("""{"hook":"{{base}}/a"}""", """{"hook":"{{base}}/b"}"""));

        Assert.Equal(200, result.Status);
        Assert.Equal(2, _api.Received.Count);
    }

    [Fact]
    public async Task WhenAHookIsUnreachableAnotherHooksSuccessStillCounts()
    {
        var closed = await FakeApi.StartAsync();
        var unreachable = closed.BaseUrl;
        await closed.DisposeAsync();
        var settings = new JsonObject { ["globalHook"] = unreachable + "/down", ["hooks"] = new JsonArray(new JsonObject { ["hook"] = _api.BaseUrl + "/up" }) };

        var result = await SendAsync(settings);

        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task WhenNoHookTakesTheEventARetryableFailureIsReportedRatherThanAPermanentOne()
    {
        _api.AnswerAlways(r => r.Path == "/a" ? new FakeAnswer(400) : new FakeAnswer(503, RetryAfter: "30"));

        var result = await SendAsync(Settings("""{"hook":"{{base}}/a"}""", """{"hook":"{{base}}/b"}"""));

        Assert.Equal(503, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WhenTheHookAnswersARetryableErrorTheStatusAndRetryAfterComeBack(int status)
    {
        _api.Then(new FakeAnswer(status, """{"error":"busy"}""", RetryAfter: "12"));

        var result = await SendAsync(new JsonObject { ["globalHook"] = _api.BaseUrl + "/hook" });

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
        Assert.Equal(SendOutcome.Retry, SendClassifier.Classify(result.Status));
    }

    [Fact]
    public async Task WhenTheHookAnswers400TheResultIsThat400()
    {
        _api.Then(new FakeAnswer(400, """{"error":"bad"}"""));

        var result = await SendAsync(new JsonObject { ["globalHook"] = _api.BaseUrl + "/hook" });

        Assert.Equal(400, result.Status);
        Assert.Equal("""{"error":"bad"}""", result.Body);
        Assert.Null(result.Problem);
    }

    [Fact]
    public async Task WhenNoHookUrlIsSetTheEventIsInvalidAndNothingIsSent()
    {
        var result = await SendAsync(new JsonObject { ["globalHook"] = "not a url", ["sharedSecret"] = "s" });

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public void TheDefinitionIsAClassicDestinationOfEveryCallType()
    {
        var action = Assert.Single(WebhooksDestination.Definition.Actions);
        Assert.True(action.Classic);
        string[] types = ["identify", "track", "page", "screen", "group", "alias"];
        Assert.Equal(types, action.ClassicTypes);
        Assert.False(WebhooksDestination.Definition.HasMappings);
        Assert.Equal("54521fdc25e721e32a72ef04", WebhooksDestination.Definition.Id);
    }

    private JsonObject Settings(params string[] hooks) => new()
    {
        ["hooks"] = JsonNode.Parse("[" + string.Join(',', hooks).Replace("{{base}}", _api.BaseUrl, StringComparison.Ordinal) + "]"),
    };

    private async Task<SendResult> SendAsync(JsonObject settings)
    {
        var context = new SendContext(Http, settings, "", TimeProvider.System);
        var payload = JsonNode.Parse(TrackEvent)!.AsObject();
        var item = new DeliveryItem("m-123", payload, JsonDocument.Parse(TrackEvent).RootElement);
        return await _destination.SendAsync(context, new ActionBatch(WebhooksDestination.Definition.Actions[0], [item]), CancellationToken.None);
    }
}
