using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Amplitude;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Amplitude;

public sealed class AmplitudeDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"apiKey":"KEY","secretKey":"SECRET","endpoint":"north_america"}""";
    private readonly AmplitudeDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static string Event(string name, string userId = "user-1") => $$$"""
        {"user_id":"{{{userId}}}","device_id":"anon-1","event_type":"{{{name}}}","time":"2024-05-01T10:00:00.000Z",
         "event_properties":{"genre":"jazz"},"user_properties":{"plan":"pro"},"platform":"ios","ip":"1.2.3.4","insert_id":"m-{{{name}}}",
         "setAlways":{"utm_source":"google"},"setOnce":{"initial_utm_source":"google"}}
        """;

    private Task<SendResult> SendAsync(string actionId, params string[] payloads) =>
        _destination.SendAsync(Context(_api, Settings), Batch(AmplitudeDestination.Definition, actionId, payloads), CancellationToken.None).AsTask();

    [Fact]
    public async Task LogEventSendsTheWholeBatchInOneHttpV2RequestWithTheApiKeyInTheBody()
    {
        var result = await SendAsync("logEventV2", Event("Song Played"), Event("Song Skipped"), Event("Song Liked"));

        Assert.Equal(200, result.Status);
        Assert.Null(result.ItemStatuses);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2/httpapi", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = Json(request.Body);
        Assert.Equal("KEY", (string?)body["api_key"]);
        Assert.Equal(3, body["events"]!.AsArray().Count);
        SameJson("""
            {"user_id":"user-1","device_id":"anon-1","event_type":"Song Played","time":1714557600000,"event_properties":{"genre":"jazz"},
             "user_properties":{"plan":"pro","$set":{"utm_source":"google"},"$setOnce":{"initial_utm_source":"google"}},
             "platform":"iOS","ip":"1.2.3.4","insert_id":"m-Song Played","library":"segment"}
            """, body["events"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task WhenAmplitudeNamesInvalidEventsOnlyThoseAreRefusedAndTheOthersAreResent()
    {
        _api.Then(new FakeAnswer(400, """{"code":400,"error":"Invalid field values on some events","events_with_invalid_fields":{"time":[1]},"events_with_missing_fields":{"event_type":[3]}}"""));

        var result = await SendAsync("logEventV2", Event("A"), Event("B"), Event("C"), Event("D"));

        Assert.Equal([200, 400, 200, 400], result.ItemStatuses);
        Assert.Equal(2, _api.Received.Count);
        var resent = Json(_api.Received[1].Body)["events"]!.AsArray().Select(e => (string?)e!["event_type"]);
        Assert.Equal(["A", "C"], resent);
    }

    [Fact]
    public async Task WhenTheBatchIsTooLargeItIsSplitInHalves()
    {
        _api.Then(new FakeAnswer(413, """{"code":413,"error":"Payload too large"}"""));

        var result = await SendAsync("logEventV2", Event("A"), Event("B"), Event("C"), Event("D"));

        Assert.Equal([200, 200, 200, 200], result.ItemStatuses);
        Assert.Equal([4, 2, 2], _api.Received.Select(r => Json(r.Body)["events"]!.AsArray().Count));
    }

    [Fact]
    public async Task AnEventWithoutUserOrDeviceIdIsRefusedInABatchWhileTheOthersAreSent()
    {
        var result = await SendAsync("logEventV2", Event("A"), """{"event_type":"B"}""");

        Assert.Equal([200, 400], result.ItemStatuses);
        Assert.Single(Json(Assert.Single(_api.Received).Body)["events"]!.AsArray());
    }

    [Fact]
    public async Task AnEventWithoutEventTypeIsInvalidAndNotSent()
    {
        var result = await SendAsync("logEventV2", """{"user_id":"user-1"}""");

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndThrottlingComeBackWithTheirStatus(int status) =>
        await AssertFailurePassedThroughAsync(_api, status, () => SendAsync("logEventV2", Event("A"), Event("B")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LogPurchaseSendsTheOrderAndOneProductPurchasedEventPerProductWithTheRevenueWhereAsked(bool perProduct)
    {
        await SendAsync("logPurchase", $$$"""
            {"user_id":"user-1","event_type":"Order Completed","revenue":30,"insert_id":"m-1","trackRevenuePerProduct":{{{(perProduct ? "true" : "false")}}},
             "products":[{"price":10,"quantity":2,"productId":"p1"},{"price":10,"quantity":1,"productId":"p2"}]}
            """);

        var events = Json(Assert.Single(_api.Received).Body)["events"]!.AsArray();
        Assert.Equal(["Order Completed", "Product Purchased", "Product Purchased"], events.Select(e => (string?)e!["event_type"]));
        Assert.Equal(["m-1", "m-1-1", "m-1-2"], events.Select(e => (string?)e!["insert_id"]));
        Assert.Equal(perProduct ? [null, 20d, 10d] : [30d, null, null], events.Select(e => (double?)e!["revenue"]));
        Assert.Equal(perProduct ? null : "Purchase", (string?)events[0]!["revenueType"]);
        SameJson("""{"price":10,"quantity":2,"productId":"p1"}""", events[1]!["event_properties"]!.ToJsonString());
    }

    [Fact]
    public async Task IdentifyPostsAFormWhoseIdentificationIsAJsonString()
    {
        await SendAsync("identifyUser", """{"user_id":"user-1","user_properties":{"plan":"pro"},"setAlways":{"referrer":"https://x"},"insert_id":"m-1","min_id_length":3}""");

        var request = Assert.Single(_api.Received);
        Assert.Equal("/identify", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        var form = Form(request.Body);
        Assert.Equal("KEY", form["api_key"]);
        SameJson("""{"user_id":"user-1","insert_id":"m-1","user_properties":{"plan":"pro","$set":{"referrer":"https://x"}},"library":"segment"}""", form["identification"]);
        SameJson("""{"min_id_length":3}""", form["options"]);
    }

    [Fact]
    public async Task GroupIdentifyPutsTheUserInTheGroupThenSetsTheGroupProperties()
    {
        await SendAsync("groupIdentifyUser", """{"user_id":"user-1","group_type":"company","group_value":"Acme","group_properties":{"employees":40},"time":"2024-05-01T10:00:00Z"}""");

        Assert.Equal(["/identify", "/groupidentify"], _api.Received.Select(r => r.Path));
        SameJson("""[{"user_id":"user-1","groups":{"company":"Acme"},"user_properties":{"company":"Acme"},"time":1714557600000,"library":"segment"}]""",
            Form(_api.Received[0].Body)["identification"]);
        SameJson("""[{"group_type":"company","group_value":"Acme","group_properties":{"employees":40},"library":"segment"}]""",
            Form(_api.Received[1].Body)["identification"]);
    }

    [Fact]
    public async Task MapUserPostsTheAliasToTheUserMappingApi()
    {
        await SendAsync("mapUser", """{"user_id":"old-id","global_user_id":"user-1"}""");

        var request = Assert.Single(_api.Received);
        Assert.Equal("/usermap", request.Path);
        SameJson("""[{"user_id":"old-id","global_user_id":"user-1"}]""", Form(request.Body)["mapping"]);
    }

    [Fact]
    public async Task AnOverriddenBaseUrlWinsOverTheEuropeanRegion()
    {
        var context = Context(_api, """{"apiKey":"KEY","endpoint":"europe"}""");

        await _destination.SendAsync(context, Batch(AmplitudeDestination.Definition, "logEventV2", Event("A")), CancellationToken.None);

        Assert.Equal("/2/httpapi", Assert.Single(_api.Received).Path);
    }

    [Fact]
    public void InsertIdDefaultsToTheMessageIdAndTheActionsBatchUpToAmplitudesLimit()
    {
        var logEvent = AmplitudeDestination.Definition.FindAction("logEventV2")!;

        SameJson("""{"@path":"$.messageId"}""", logEvent.DefaultMapping()["insert_id"]!.ToJsonString());
        Assert.Equal(2000, logEvent.MaxBatchSize);
        Assert.Equal("Viewed {{name}}", (string?)AmplitudeDestination.Definition.Presets.Single(p => p.Name == "Page Calls").Mapping!["event_type"]!["@template"]);
        Assert.IsType<JsonObject>(logEvent.DefaultMapping()["device_id"]!["@if"]);
    }
}
