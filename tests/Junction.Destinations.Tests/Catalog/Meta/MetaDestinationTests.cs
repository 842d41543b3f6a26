using System.Security.Cryptography;
using System.Text;
using Junction.Destinations.Catalog.Meta;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Meta;

public sealed class MetaDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"pixelId":"123456","accessToken":"EAAB-token","testEventCode":"TEST123"}""";
    private readonly MetaDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static string Purchase(string eventId) => $$$"""
        {"action_source":"website","event_time":"2024-05-01T10:00:00.000Z","event_id":"{{{eventId}}}","event_source_url":"https://shop.example/thanks",
         "user_data":{"externalId":"user-1","email":" A@B.com ","phone":"+1 (555) 123-4567","state":"New York","client_ip_address":"1.2.3.4",
           "client_user_agent":"Mozilla/5.0","fbp":"fb.1.1596403881668.1116446470"},
         "currency":"USD","value":25,"content_ids":["sku1"],"contents":[{"id":"sku1","quantity":1,"item_price":25}],"content_type":"product"}
        """;

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private Task<SendResult> SendAsync(string actionId, params string[] payloads) =>
        _destination.SendAsync(Context(_api, Settings), Batch(MetaDestination.Definition, actionId, payloads), CancellationToken.None).AsTask();

    [Fact]
    public async Task PurchasesAreSentTogetherWithABearerTokenAndHashedCustomerDetails()
    {
        _api.AnswerAlways(new FakeAnswer(200, """{"events_received":2,"messages":[],"fbtrace_id":"x"}"""));

        var result = await SendAsync("purchase", Purchase("m-1"), Purchase("m-2"));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v24.0/123456/events", request.Path);
        Assert.Equal("Bearer EAAB-token", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = Json(request.Body);
        Assert.Equal("TEST123", (string?)body["test_event_code"]);
        Assert.Equal(2, body["data"]!.AsArray().Count);
        SameJson($$$"""
            {"event_name":"Purchase","event_time":1714557600,"action_source":"website","event_source_url":"https://shop.example/thanks","event_id":"m-1",
             "user_data":{"external_id":["{{{Sha("user-1")}}}"],"em":"{{{Sha("a@b.com")}}}","ph":"{{{Sha("15551234567")}}}","st":"{{{Sha("ny")}}}",
               "client_ip_address":"1.2.3.4","client_user_agent":"Mozilla/5.0","fbp":"fb.1.1596403881668.1116446470"},
             "custom_data":{"currency":"USD","value":25,"content_ids":["sku1"],"contents":[{"id":"sku1","quantity":1,"item_price":25}],"content_type":"product"}}
            """, body["data"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task AValueThatIsAlreadyASha256DigestIsNotHashedAgain()
    {
        var digest = Sha("a@b.com");

        await SendAsync("pageView", $$$"""{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"{{{digest}}}","client_user_agent":"UA"}}""");

        Assert.Equal(digest, (string?)Json(Assert.Single(_api.Received).Body)["data"]![0]!["user_data"]!["em"]);
    }

    [Fact]
    public async Task WhenMetaRefusesABatchEachEventIsResentAloneSoOnlyTheBadOneFails()
    {
        var refusal = new FakeAnswer(400, """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"x"}}""");
        _api.Then(refusal, new FakeAnswer(200), refusal, new FakeAnswer(200));

        var result = await SendAsync("purchase", Purchase("m-1"), Purchase("m-2"), Purchase("m-3"));

        Assert.Equal([200, 400, 200], result.ItemStatuses);
        Assert.Equal([3, 1, 1, 1], _api.Received.Select(r => Json(r.Body)["data"]!.AsArray().Count));
    }

    [Fact]
    public async Task ThrottlingReportedAsA400ErrorCodeIsRetriedAs429()
    {
        _api.Then(new FakeAnswer(400, """{"error":{"message":"User request limit reached","type":"OAuthException","code":17}}"""));

        var result = await SendAsync("purchase", Purchase("m-1"));

        Assert.Equal(429, result.Status);
        Assert.Single(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndThrottlingComeBackWithTheirStatus(int status) =>
        await AssertFailurePassedThroughAsync(_api, status, () => SendAsync("purchase", Purchase("m-1")));

    [Theory]
    [InlineData("""{"event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.com"},"currency":"USD","value":1}""")]
    [InlineData("""{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.com"},"currency":"USD","value":1}""")]
    [InlineData("""{"action_source":"app","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.com"},"value":1}""")]
    public async Task APurchaseMissingWhatMetaRequiresIsInvalidAndNotSent(string payload)
    {
        var result = await SendAsync("purchase", payload);

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public void EventIdDefaultsToTheMessageIdAndActionSourceMustBeChosen()
    {
        var purchase = MetaDestination.Definition.FindAction("purchase")!;

        SameJson("""{"@path":"$.messageId"}""", purchase.DefaultMapping()["event_id"]!.ToJsonString());
        Assert.False(purchase.DefaultMapping().ContainsKey("action_source"));
        Assert.True(purchase.Fields.Single(f => f.Key == "action_source").Required);
        Assert.Equal(1000, purchase.MaxBatchSize);
    }
}
