using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.WebhooksActions;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.WebhooksActions;

public sealed class WebhooksActionsDestinationTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly WebhooksActionsDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheMappedDataGoesToTheMappedUrlWithTheMappedMethodAndHeaders()
    {
        var payload = Payload("""{"order":"o-1","total":25}""", method: "PUT");
        payload["headers"] = new JsonObject { ["X-Api-Key"] = "k-1", ["X-Version"] = 3 };

        var result = await SendAsync(new JsonObject(), payload);

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/orders", request.Path);
        Assert.Equal("?tenant=7", request.Query);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("k-1", request.Header("X-Api-Key"));
        Assert.Equal("3", request.Header("X-Version"));
        Assert.Null(request.Header("X-Signature"));
        Assert.Equal("""{"order":"o-1","total":25}""", request.Body);
    }

    [Fact]
    public async Task WhenTheSharedSecretIsSetTheBodyIsSignedWithHmacSha1()
    {
        await SendAsync(new JsonObject { ["sharedSecret"] = "s3cret" }, Payload("""{"name":"Zoë"}"""));

        var request = Assert.Single(_api.Received);
        Assert.Equal(Sign("s3cret", request.Body), request.Header("X-Signature"));
    }

    [Fact]
    public async Task WhenBatchingIsEnabledOneRequestCarriesAnArraySignedOverItsFirstElement()
    {
        var first = Payload("""{"n":1}""", batching: true);
        var second = Payload("""{"n":2}""", batching: true);

        var result = await SendAsync(new JsonObject { ["sharedSecret"] = "s3cret" }, first, second);

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("""[{"n":1},{"n":2}]""", request.Body);
        Assert.Equal(Sign("s3cret", """{"n":1}"""), request.Header("X-Signature"));
    }

    [Fact]
    public async Task WhenBatchingIsOffEachEventIsItsOwnRequestAndGetsItsOwnStatus()
    {
        _api.Then(new FakeAnswer(200), new FakeAnswer(503));

        var result = await SendAsync(new JsonObject(), Payload("""{"n":1}"""), Payload("""{"n":2}"""));

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], _api.Received.Select(r => r.Body).ToArray());
        Assert.Equal([200, 503], result.ItemStatuses!.ToArray());
    }

    [Fact]
    public async Task TheDefaultDataMappingSendsTheWholeEvent()
    {
        const string Event = """{"type":"track","event":"Signed Up","userId":"u1","properties":{"plan":"pro"}}""";
        var mapping = WebhooksActionsDestination.Definition.Actions[0].DefaultMapping();
        mapping["url"] = _api.BaseUrl + "/hook";
        var compilation = CompiledMapping.Compile(mapping.ToJsonString());
        Assert.True(compilation.Succeeded);
        var mapped = compilation.Mapping.Evaluate(JsonDocument.Parse(Event).RootElement);
        Assert.True(mapped.Succeeded);

        await SendAsync(new JsonObject(), mapped.Payload);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Event), JsonNode.Parse(Assert.Single(_api.Received).Body)));
        Assert.Equal("POST", _api.Received[0].Method);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WhenTheReceiverAnswersARetryableErrorTheStatusAndRetryAfterComeBack(int status)
    {
        _api.Then(new FakeAnswer(status, RetryAfter: "9"));

        var result = await SendAsync(new JsonObject(), Payload("{}"));

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(9), result.RetryAfter);
    }

    [Fact]
    public async Task WhenTheReceiverAnswers400TheResultIsThat400()
    {
        _api.Then(new FakeAnswer(400, """{"error":"no"}"""));

        var result = await SendAsync(new JsonObject(), Payload("{}"));

        Assert.Equal(400, result.Status);
        Assert.Equal("""{"error":"no"}""", result.Body);
    }

    [Theory]
    [InlineData(null, "POST", "X-Ok")]
    [InlineData("ftp://example.com/x", "POST", "X-Ok")]
    [InlineData("{{base}}/hook", "DELETE", "X-Ok")]
    [InlineData("{{base}}/hook", "POST", "X-Ünicode")]
    public async Task AMissingUrlABadMethodOrANonAsciiHeaderIsInvalidAndNothingIsSent(string? url, string method, string header)
    {
        var payload = new JsonObject
        {
            ["url"] = url?.Replace("{{base}}", _api.BaseUrl, StringComparison.Ordinal),
            ["method"] = method,
            ["headers"] = new JsonObject { [header] = "v" },
            ["data"] = new JsonObject(),
        };

        var result = await SendAsync(new JsonObject(), payload);

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public void TheActionBatchesUpToAThousandEventsThatShareUrlMethodAndHeaders()
    {
        var action = Assert.Single(WebhooksActionsDestination.Definition.Actions);
        Assert.Equal(1000, action.MaxBatchSize);
        Assert.Equal(["url", "method", "headers"], action.BatchKeys!.ToArray());
        Assert.Equal("""{"@path":"$."}""", action.DefaultMapping()["data"]!.ToJsonString());
        Assert.Equal("", WebhooksActionsDestination.Definition.DefaultBaseUrl);
    }

    private JsonObject Payload(string data, string method = "POST", bool batching = false) => new()
    {
        ["url"] = _api.BaseUrl + "/orders?tenant=7",
        ["method"] = method,
        ["data"] = JsonNode.Parse(data),
        ["enable_batching"] = batching,
    };

    private static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task<SendResult> SendAsync(JsonObject settings, params JsonObject[] payloads)
    {
        var context = new SendContext(Http, settings, "", TimeProvider.System);
        var items = payloads.Select((p, i) => new DeliveryItem($"m-{i}", p, JsonDocument.Parse("{}").RootElement)).ToList();
        return await _destination.SendAsync(context, new ActionBatch(WebhooksActionsDestination.Definition.Actions[0], items), CancellationToken.None);
    }
}
