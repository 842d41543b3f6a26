using Junction.Destinations.Catalog;
using Junction.Destinations.Catalog.Iterable;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Iterable;

public sealed class IterableDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"apiKey":"key-1","dataCenterLocation":"united_states"}""";
    private const string OrderCompleted = """{"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o1","total":25}}""";
    private readonly IterableDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeApi.StartAsync();
        _api.AnswerAlways(new FakeAnswer(200, """{"msg":"","code":"Success","params":null}"""));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static DestinationDefinition Definition => IterableDestination.Definition;

    private Task<SendResult> Send(string actionId, params DeliveryItem[] items) =>
        _destination.SendAsync(Context(_api, Settings), Batch(Definition, actionId, items), CancellationToken.None).AsTask();

    [Fact]
    public async Task OneEventIsTrackedWithTheApiKeyHeaderUnixSecondsAndIterableDates()
    {
        var result = await Send("trackEvent", Item("""
            {"email":"a@b.com","userId":"u1","eventName":"Song Played","id":"m-123","createdAt":"2024-05-01T10:00:00.000Z",
             "dataFields":{"genre":"jazz","playedAt":"2024-05-01T12:30:00+02:00"},"campaignId":"123","templateId":456}
            """));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events/track", request.Path);
        Assert.Equal("key-1", request.Header("Api-Key"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        SameJson("""
            {"email":"a@b.com","userId":"u1","eventName":"Song Played","id":"m-123","createdAt":1714557600,
             "dataFields":{"genre":"jazz","playedAt":"2024-05-01 10:30:00 +00:00"},"campaignId":123,"templateId":456}
            """, request.Body);
    }

    [Fact]
    public async Task SeveralEventsGoToTrackBulkAndAnUnmappedIdFallsBackToTheMessageId()
    {
        await Send("trackEvent", Item("""{"userId":"u1","eventName":"A","id":"m-1"}"""), Item("""{"email":"b@c.com","eventName":"B"}""", messageId: "m-2"));

        var request = Assert.Single(_api.Received);
        Assert.Equal("/api/events/trackBulk", request.Path);
        SameJson("""
            {"events":[{"userId":"u1","eventName":"A","id":"m-1"},{"email":"b@c.com","eventName":"B","id":"m-2"}]}
            """, request.Body);
    }

    [Fact]
    public async Task UsersAreUpdatedAloneOrInBulkWithThePhoneNumberInTheirDataFields()
    {
        await Send("updateUser", Item("""{"email":"a@b.com","userId":"u1","dataFields":{"plan":"pro"},"phoneNumber":"+15551234567","mergeNestedObjects":false}"""));
        await Send("updateUser", Item("""{"userId":"u1"}"""), Item("""{"email":"b@c.com","mergeNestedObjects":true}"""));

        Assert.Equal("/api/users/update", _api.Received[0].Path);
        SameJson("""
            {"email":"a@b.com","userId":"u1","dataFields":{"plan":"pro","phoneNumber":"+15551234567"},"mergeNestedObjects":false}
            """, _api.Received[0].Body);
        Assert.Equal("/api/users/bulkUpdate", _api.Received[1].Path);
        SameJson("""
            {"users":[{"userId":"u1","mergeNestedObjects":false},{"email":"b@c.com","mergeNestedObjects":true}]}
            """, _api.Received[1].Body);
    }

    [Fact]
    public async Task APurchaseCarriesItsUserItemsAndTotal()
    {
        await Send("trackPurchase", Item("""
            {"id":"o1","user":{"email":"a@b.com","userId":"u1"},"total":25,"createdAt":"2024-05-01T10:00:00Z","dataFields":{"coupon":"X"},
             "items":[{"id":"sku1","sku":"sku1","name":"Shirt","price":25,"quantity":1,"categories":"Apparel"}]}
            """));

        var request = Assert.Single(_api.Received);
        Assert.Equal("/api/commerce/trackPurchase", request.Path);
        SameJson("""
            {"id":"o1","user":{"email":"a@b.com","userId":"u1","mergeNestedObjects":false},
             "items":[{"id":"sku1","sku":"sku1","name":"Shirt","price":25,"quantity":1,"categories":["Apparel"]}],
             "total":25,"createdAt":1714557600,"dataFields":{"coupon":"X"}}
            """, request.Body);
    }

    [Fact]
    public async Task ACartUpdateReplacesTheCartItemsEvenWithAnEmptyList()
    {
        await Send("updateCart", Item("""{"user":{"userId":"u1"},"items":[]}"""));

        var request = Assert.Single(_api.Received);
        Assert.Equal("/api/commerce/updateCart", request.Path);
        SameJson("""{"user":{"userId":"u1","mergeNestedObjects":false},"items":[]}""", request.Body);
    }

    [Theory]
    [InlineData("trackEvent", """{"eventName":"A"}""")]
    [InlineData("trackEvent", """{"userId":"u1"}""")]
    [InlineData("updateUser", """{"dataFields":{"plan":"pro"}}""")]
    [InlineData("trackPurchase", """{"user":{"userId":"u1"},"items":[]}""")]
    [InlineData("updateCart", """{"user":{"userId":"u1"}}""")]
    public async Task APayloadMissingWhatIterableNeedsIsInvalidAndNothingIsSent(string actionId, string payload)
    {
        var result = await Send(actionId, Item(payload));

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndRateLimitsComeBackWithTheirStatusAndRetryAfter(int status)
    {
        _api.Then(new FakeAnswer(status, """{"msg":"Slow down","code":"RateLimitExceeded"}""", RetryAfter: "5"));

        var result = await Send("trackEvent", Item("""{"userId":"u1","eventName":"A"}"""), Item("""{"userId":"u2","eventName":"B"}"""));

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), result.RetryAfter);
        Assert.Null(result.ItemStatuses);
    }

    [Fact]
    public void TheEuropeanDataCenterPicksTheEuHostUnlessTheBaseUrlIsOverridden()
    {
        const string eu = """{"apiKey":"k","dataCenterLocation":"europe"}""";

        Assert.Equal(IterableDestination.EuHost, IterableDestination.BaseUrlFor(Context(Definition.DefaultBaseUrl, eu)));
        Assert.Equal("https://proxy.example", IterableDestination.BaseUrlFor(Context("https://proxy.example", eu)));
    }

    [Fact]
    public void TheOrderAndCartTriggersUseASingleEqualsSoTheyMatch()
    {
        Assert.True(Matches(Definition.FindAction("trackPurchase")!.DefaultTrigger!, OrderCompleted));
        Assert.True(Matches(Definition.FindAction("updateCart")!.DefaultTrigger!, """{"type":"track","event":"Cart Updated"}"""));
        Assert.False(Matches(Definition.FindAction("trackEvent")!.DefaultTrigger!, OrderCompleted));
        Assert.DoesNotContain(Definition.Actions, a => a.DefaultTrigger?.Contains("==", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TheDefaultMappingTurnsAnOrderCompletedIntoAPurchase()
    {
        var item = MapWithDefaults(Definition.FindAction("trackPurchase")!, """
            {"type":"track","event":"Order Completed","userId":"u1","timestamp":"2024-05-01T10:00:00Z","context":{"traits":{"email":"a@b.com"}},
             "properties":{"order_id":"o1","total":25,"products":[{"product_id":"p1","sku":"S1","name":"Shirt","price":25,"quantity":1,"category":"Apparel"}]}}
            """);

        await Send("trackPurchase", item);

        var body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(_api.Received).Body)!;
        Assert.Equal("o1", (string?)body["id"]);
        SameJson("""{"email":"a@b.com","userId":"u1","mergeNestedObjects":false}""", body["user"]!.ToJsonString());
        SameJson("""[{"id":"p1","sku":"S1","categories":["Apparel"],"name":"Shirt","price":25,"quantity":1}]""", body["items"]!.ToJsonString());
        Assert.Equal(1714557600, (long)body["createdAt"]!);
    }

    [Fact]
    public void TheDestinationIsBuiltInWithValidTriggersAndPresets()
    {
        Assert.Contains(BuiltInDestinations.All, d => d.Definition.Slug == "actions-iterable");
        TriggersParseAndPresetsNameActions(Definition);
    }
}
