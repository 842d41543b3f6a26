using Junction.Destinations.Catalog.GoogleAnalytics;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.GoogleAnalytics;

public sealed class GoogleAnalyticsDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"apiSecret":"S3CRET","measurementId":"G-ABC123"}""";
    private readonly GoogleAnalyticsDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeApi.StartAsync();
        _api.AnswerAlways(new FakeAnswer(204, ""));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private Task<SendResult> SendAsync(string actionId, string payload, string settings = Settings) =>
        _destination.SendAsync(Context(_api, settings), Batch(GoogleAnalyticsDestination.Definition, actionId, payload), CancellationToken.None).AsTask();

    [Fact]
    public async Task PurchaseIsPostedToCollectWithTheMeasurementIdAndSecretInTheQuery()
    {
        var result = await SendAsync("purchase", """
            {"client_id":"anon-1","user_id":"user-1","timestamp_micros":"2024-05-01T10:00:00.000Z","engagement_time_msec":1,
             "currency":"USD","value":25,"transaction_id":"o1","items":[{"item_id":"sku1","item_name":"Shirt","price":25,"quantity":1}],
             "user_properties":{"plan":"pro"}}
            """);

        Assert.Equal(204, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/mp/collect", request.Path);
        Assert.Equal("?measurement_id=G-ABC123&api_secret=S3CRET", request.Query);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        SameJson("""
            {"client_id":"anon-1","user_id":"user-1","timestamp_micros":1714557600000000,
             "events":[{"name":"purchase","params":{"engagement_time_msec":1,"currency":"USD","value":25,"transaction_id":"o1",
               "items":[{"item_id":"sku1","item_name":"Shirt","price":25,"quantity":1}]}}],
             "user_properties":{"plan":{"value":"pro"}}}
            """, request.Body);
    }

    [Fact]
    public async Task ACustomEventNameHasItsSpacesReplacedAndItsExtraParametersMerged()
    {
        await SendAsync("customEvent", """{"client_id":"anon-1","name":" Video Played ","lowercase":true,"params":{"video_id":"v1","seconds":30}}""");

        SameJson("""{"client_id":"anon-1","events":[{"name":"video_played","params":{"video_id":"v1","seconds":30}}]}""", Assert.Single(_api.Received).Body);
    }

    [Fact]
    public async Task AnAppStreamSendsTheFirebaseAppIdAndTheAppInstanceId()
    {
        await SendAsync("login", """{"app_instance_id":"inst-1","method":"google"}""", """{"apiSecret":"S3CRET","firebaseAppId":"1:123:android:abc"}""");

        var request = Assert.Single(_api.Received);
        Assert.Equal("?firebase_app_id=1%3A123%3Aandroid%3Aabc&api_secret=S3CRET", request.Query);
        SameJson("""{"app_instance_id":"inst-1","events":[{"name":"login","params":{"method":"google"}}]}""", request.Body);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "customEvent")]
    [InlineData("""{"client_id":"anon-1","params":{"tags":["a","b"]}}""", "pageView")]
    [InlineData("""{"client_id":"anon-1","value":25}""", "addToCart")]
    [InlineData("""{"client_id":"anon-1","currency":"dollars","value":25}""", "addToCart")]
    public async Task APayloadGa4WouldDropSilentlyIsInvalidAndNotSent(string payload, string actionId)
    {
        var result = await SendAsync(actionId, payload);

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndThrottlingComeBackWithTheirStatus(int status) =>
        await AssertFailurePassedThroughAsync(_api, status, () => SendAsync("pageView", """{"client_id":"anon-1","page_location":"https://x"}"""));

    [Fact]
    public void EachActionSendsOneEventPerRequestAndStartsWithSegmentsTrigger()
    {
        var purchase = GoogleAnalyticsDestination.Definition.FindAction("purchase")!;

        Assert.All(GoogleAnalyticsDestination.Definition.Actions, a => Assert.Equal(1, a.MaxBatchSize));
        Assert.Equal("type = \"track\" and event = \"Order Completed\"", purchase.DefaultTrigger);
        SameJson("""{"@path":"$.properties.order_id"}""", purchase.DefaultMapping()["transaction_id"]!.ToJsonString());
        SameJson("""{"@path":"$.properties.total"}""", purchase.DefaultMapping()["value"]!.ToJsonString());
    }
}
