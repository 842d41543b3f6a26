using System.Text.Json.Nodes;
using Junction.Destinations.Catalog;
using Junction.Destinations.Catalog.Braze;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Braze;

public sealed class BrazeDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"api_key":"key-1","app_id":"APP","endpoint":"https://rest.iad-01.braze.com"}""";
    private readonly BrazeDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeApi.StartAsync();
        _api.AnswerAlways(new FakeAnswer(201, """{"message":"success"}"""));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static DestinationDefinition Definition => BrazeDestination.Definition;

    private Task<SendResult> Send(string actionId, params DeliveryItem[] items) =>
        _destination.SendAsync(Context(_api, Settings), Batch(Definition, actionId, items), CancellationToken.None).AsTask();

    [Fact]
    public async Task AnEventIsPostedToUsersTrackWithTheBearerKeyAndAppId()
    {
        var result = await Send("trackEvent", Item("""
            {"external_id":"u1","email":"a@b.com","name":"Song Played","time":"2024-05-01T10:00:00.000Z","properties":{"genre":"jazz"},"_update_existing_only":false}
            """));

        Assert.Equal(201, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/users/track", request.Path);
        Assert.Equal("Bearer key-1", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Null(request.Header("X-Braze-Batch"));
        SameJson("""
            {"events":[{"external_id":"u1","email":"a@b.com","app_id":"APP","name":"Song Played","time":"2024-05-01T10:00:00.000Z","properties":{"genre":"jazz"},"_update_existing_only":false}]}
            """, request.Body);
    }

    [Fact]
    public async Task SeveralEventsShareOneRequestMarkedAsABatch()
    {
        await Send("trackEvent",
            Item("""{"external_id":"u1","name":"A","time":"2024-05-01T10:00:00Z"}"""),
            Item("""{"user_alias":{"alias_name":"anon-2","alias_label":"segment"},"name":"B","time":"2024-05-01T10:00:01Z"}"""));

        var request = Assert.Single(_api.Received);
        Assert.Equal("true", request.Header("X-Braze-Batch"));
        SameJson("""
            {"events":[
              {"external_id":"u1","app_id":"APP","name":"A","time":"2024-05-01T10:00:00Z","_update_existing_only":false},
              {"user_alias":{"alias_name":"anon-2","alias_label":"segment"},"app_id":"APP","name":"B","time":"2024-05-01T10:00:01Z","_update_existing_only":false}
            ]}
            """, request.Body);
    }

    [Fact]
    public async Task AnOrderBecomesOnePurchasePerProductWithTheOrderPropertiesBesideTheProductsOwn()
    {
        await Send("trackPurchase", Item("""
            {"external_id":"u1","time":"2024-05-01T10:00:00.000Z","properties":{"order_id":"o1","products":[]},
             "products":[{"product_id":"sku1","price":12.5,"quantity":2,"name":"Shirt"},{"product_id":"sku2","price":"3","currency":"EUR"}]}
            """));

        SameJson("""
            {"purchases":[
              {"external_id":"u1","app_id":"APP","product_id":"sku1","currency":"USD","price":12.5,"quantity":2,"time":"2024-05-01T10:00:00.000Z","properties":{"order_id":"o1","name":"Shirt"},"_update_existing_only":false},
              {"external_id":"u1","app_id":"APP","product_id":"sku2","currency":"EUR","price":3,"time":"2024-05-01T10:00:00.000Z","properties":{"order_id":"o1"},"_update_existing_only":false}
            ]}
            """, Assert.Single(_api.Received).Body);
    }

    [Fact]
    public async Task PurchasesBeyondSeventyFiveObjectsGoInASecondRequestWithoutSplittingAnOrder()
    {
        var products = new JsonArray([.. Enumerable.Range(0, 30).Select(i => (JsonNode)new JsonObject { ["product_id"] = $"p{i}", ["price"] = 1 })]);
        var order = $$"""{"external_id":"u1","time":"2024-05-01T10:00:00Z","products":{{products.ToJsonString()}}}""";

        var result = await Send("trackPurchase", Item(order), Item(order), Item(order));

        Assert.Equal(SendOutcome.Delivered, SendClassifier.Classify(result.Status));
        Assert.Equal([201, 201, 201], result.ItemStatuses);
        Assert.Equal([60, 30], _api.Received.Select(r => JsonNode.Parse(r.Body)!["purchases"]!.AsArray().Count));
    }

    [Fact]
    public async Task AProfileSendsStandardAttributesAndTheOtherTraitsAsCustomAttributes()
    {
        await Send("updateUserProfile", Item("""
            {"external_id":"u1","email":"a@b.com","first_name":"Ann","last_name":"Lee","gender":"female","dob":"1990-02-01T00:00:00Z",
             "current_location":{"latitude":1.1,"longitude":2.2},"home_city":"Paris",
             "custom_attributes":{"email":"a@b.com","firstName":"Ann","lastName":"Lee","avatar":"x","plan":"pro"},"_update_existing_only":false}
            """));

        SameJson("""
            {"attributes":[{"external_id":"u1","email":"a@b.com","plan":"pro","first_name":"Ann","last_name":"Lee","home_city":"Paris",
              "gender":"F","dob":"1990-02-01","current_location":{"latitude":1.1,"longitude":2.2},"_update_existing_only":false}]}
            """, Assert.Single(_api.Received).Body);
    }

    [Fact]
    public async Task ObjectsBrazeListsInErrorsFailTheirOwnItemsOnly()
    {
        _api.Then(new FakeAnswer(201, """{"message":"success","events_processed":2,"errors":[{"type":"'name' is required","input_array":"events","index":1}]}"""));

        var result = await Send("trackEvent",
            Item("""{"external_id":"u1","name":"A","time":"t"}"""),
            Item("""{"external_id":"u2","name":"B","time":"t"}"""),
            Item("""{"external_id":"u3","name":"C","time":"t"}"""));

        Assert.Equal([201, 400, 201], result.ItemStatuses);
        Assert.Equal(400, result.Status);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndRateLimitsComeBackWithTheirStatusAndRetryAfter(int status)
    {
        _api.Then(new FakeAnswer(status, """{"message":"busy"}""", RetryAfter: "30"));

        var result = await Send("trackEvent", Item("""{"external_id":"u1","name":"A","time":"t"}"""), Item("""{"external_id":"u2","name":"B","time":"t"}"""));

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Null(result.ItemStatuses);
    }

    [Fact]
    public async Task AnEventWithoutAnyUserIdentifierIsInvalidAndNothingIsSent()
    {
        var result = await Send("trackEvent", Item("""{"user_alias":{"alias_name":"only-a-name"},"name":"A","time":"t"}"""));

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public void TheRestEndpointSettingPicksTheHostUnlessTheBaseUrlIsOverridden()
    {
        const string eu = """{"api_key":"k","endpoint":"https://rest.fra-01.braze.eu"}""";

        Assert.Equal("https://rest.fra-01.braze.eu", BrazeDestination.BaseUrlFor(Context(Definition.DefaultBaseUrl, eu)));
        Assert.Equal("https://proxy.example", BrazeDestination.BaseUrlFor(Context("https://proxy.example", eu)));
        Assert.Contains(Definition.Settings.Single(s => s.Key == "endpoint").Choices!, c => c.Value == "https://rest.fra-01.braze.eu");
    }

    [Fact]
    public async Task TheDefaultMappingSendsATrackAsAnEventTimedByReceivedAt()
    {
        var item = MapWithDefaults(Definition.FindAction("trackEvent")!, """
            {"type":"track","event":"Song Played","userId":"u1","receivedAt":"2024-05-01T10:00:01Z","timestamp":"2024-05-01T10:00:00Z",
             "properties":{"genre":"jazz"},"context":{"traits":{"email":"a@b.com"}}}
            """);

        await Send("trackEvent", item);

        SameJson("""
            {"events":[{"external_id":"u1","email":"a@b.com","app_id":"APP","name":"Song Played","time":"2024-05-01T10:00:01Z","properties":{"genre":"jazz"},"_update_existing_only":false}]}
            """, Assert.Single(_api.Received).Body);
    }

    [Fact]
    public void TheDestinationIsBuiltInWithValidTriggersAndPresets()
    {
        Assert.Contains(BuiltInDestinations.All, d => d.Definition.Slug == "actions-braze-cloud");
        TriggersParseAndPresetsNameActions(Definition);
        Assert.All(Definition.Actions, action => Assert.Equal(BrazeDestination.MaxObjects, action.MaxBatchSize));
    }
}
