using System.Text;
using Junction.Destinations.Catalog;
using Junction.Destinations.Catalog.CustomerIo;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.CustomerIo;

public sealed class CustomerIoDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"siteId":"site-1","apiKey":"key-1","accountRegion":"US 🇺🇸"}""";
    private readonly CustomerIoDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static DestinationDefinition Definition => CustomerIoDestination.Definition;

    private Task<SendResult> Send(string actionId, params DeliveryItem[] items) =>
        _destination.SendAsync(Context(_api, Settings), Batch(Definition, actionId, items), CancellationToken.None).AsTask();

    [Fact]
    public async Task AnIdentifyIsOnePersonEntityPostedWithBasicAuthAndUnixSeconds()
    {
        var result = await Send("createUpdatePerson", Item("""
            {"id":"u1","anonymous_id":"anon-1","email":"a@b.com","timestamp":"2024-05-01T10:00:00.000Z",
             "created_at":"2024-01-01T00:00:00Z","custom_attributes":{"plan":"pro","email":"a@b.com","code":"1714557600"},"convert_timestamp":true}
            """));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/entity", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("site-1:key-1")), request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        SameJson("""
            {"type":"person","action":"identify","identifiers":{"id":"u1"},"timestamp":1714557600,
             "attributes":{"email":"a@b.com","created_at":1704067200,"plan":"pro","code":"1714557600","anonymous_id":"anon-1"}}
            """, request.Body);
    }

    [Fact]
    public async Task SeveralEventsShareOneBatchRequestEachWithItsMessageIdAsEventId()
    {
        var result = await Send("trackEvent",
            Item("""{"id":"u1","name":"Order Completed","event_id":"m-1","timestamp":"2024-05-01T10:00:00Z","data":{"total":25,"at":"2024-01-01T00:00:00Z"}}"""),
            Item("""{"anonymous_id":"anon-2","name":"Song Played","data":{}}""", messageId: "m-2"));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("/api/v2/batch", request.Path);
        SameJson("""
            {"batch":[
              {"type":"person","action":"event","identifiers":{"id":"u1"},"name":"Order Completed","id":"m-1","timestamp":1714557600,"attributes":{"total":25,"at":1704067200}},
              {"type":"person","action":"event","identifiers":{"anonymous_id":"anon-2"},"name":"Song Played","id":"m-2","attributes":{}}
            ]}
            """, request.Body);
    }

    [Fact]
    public async Task PageViewsAreNamedByTheirUrlAndScreenViewsByTheScreen()
    {
        await Send("trackPageView", Item("""{"anonymous_id":"anon-1","url":"https://shop.example/cart","event_id":"m-124","data":{"title":"Cart"}}"""));
        await Send("trackScreenView", Item("""{"id":"u1","name":"Home","event_id":"m-125","convert_timestamp":false,"data":{"at":"2024-01-01T00:00:00Z"}}"""));

        SameJson("""
            {"type":"person","action":"page","identifiers":{"anonymous_id":"anon-1"},"name":"https://shop.example/cart","id":"m-124","attributes":{"title":"Cart"}}
            """, _api.Received[0].Body);
        SameJson("""
            {"type":"person","action":"screen","identifiers":{"id":"u1"},"name":"Home","id":"m-125","attributes":{"at":"2024-01-01T00:00:00Z"}}
            """, _api.Received[1].Body);
    }

    [Fact]
    public async Task AGroupBecomesAnObjectRelatedToItsUser()
    {
        await Send("createUpdateObject", Item("""
            {"id":"acme","custom_attributes":{"name":"Acme"},"relationship_attributes":{"role":"admin"},"user_id":"u1","anonymous_id":"anon-1"}
            """));

        SameJson("""
            {"type":"object","action":"identify","identifiers":{"object_type_id":"1","object_id":"acme"},"attributes":{"name":"Acme"},
             "cio_relationships":[{"identifiers":{"id":"u1"},"relationship_attributes":{"role":"admin"}}]}
            """, Assert.Single(_api.Received).Body);
    }

    [Theory]
    [InlineData("cio_abc123", """{"cio_id":"abc123"}""")]
    [InlineData("ann@example.com", """{"email":"ann@example.com"}""")]
    [InlineData("42", """{"id":"42"}""")]
    public async Task APersonIdIsSentAsCustomerIoIdEmailOrId(string id, string identifiers)
    {
        await Send("createUpdatePerson", Item($$"""{"id":"{{id}}"}"""));

        SameJson($$$"""{"type":"person","action":"identify","identifiers":{{{identifiers}}},"attributes":{}}""", Assert.Single(_api.Received).Body);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndRateLimitsComeBackWithTheirStatusAndRetryAfter(int status)
    {
        _api.Then(new FakeAnswer(status, """{"errors":[{"reason":"busy"}]}""", RetryAfter: "7"));

        var result = await Send("trackEvent", Item("""{"id":"u1","name":"Signed Up"}"""), Item("""{"id":"u2","name":"Signed Up"}"""));

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Null(result.ItemStatuses);
        Assert.Equal(SendOutcome.Retry, SendClassifier.Classify(result.Status));
    }

    [Fact]
    public async Task AnEventWithoutAnyPersonIdentifierIsInvalidAndNothingIsSent()
    {
        var result = await Send("trackEvent", Item("""{"name":"Signed Up"}"""));

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task AnInvalidItemInABatchIsRefusedAloneWhileTheOthersAreSent()
    {
        var result = await Send("trackEvent", Item("""{"id":"u1","name":"A"}"""), Item("""{"id":"u2"}"""), Item("""{"id":"u3","name":"C"}"""));

        Assert.Equal([200, 400, 200], result.ItemStatuses);
        Assert.Equal(2, JsonDocumentLength(Assert.Single(_api.Received).Body));
    }

    [Fact]
    public void TheEuRegionPicksTheEuHostUnlessTheBaseUrlIsOverridden()
    {
        const string eu = """{"siteId":"s","apiKey":"k","accountRegion":"EU 🇪🇺"}""";

        Assert.Equal(CustomerIoDestination.EuHost, CustomerIoDestination.BaseUrlFor(Context(Definition.DefaultBaseUrl, eu)));
        Assert.Equal("https://track.customer.io", CustomerIoDestination.BaseUrlFor(Context(Definition.DefaultBaseUrl, Settings)));
        Assert.Equal("https://proxy.example", CustomerIoDestination.BaseUrlFor(Context("https://proxy.example", eu)));
    }

    [Fact]
    public async Task TheDefaultMappingTurnsAnIdentifyIntoTheDocumentedEntity()
    {
        var item = MapWithDefaults(Definition.FindAction("createUpdatePerson")!, """
            {"type":"identify","userId":"u1","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-1",
             "traits":{"email":"a@b.com","createdAt":"2024-01-01T00:00:00Z","plan":"pro"}}
            """);

        await Send("createUpdatePerson", item);

        SameJson("""
            {"type":"person","action":"identify","identifiers":{"id":"u1"},"timestamp":1714557600,
             "attributes":{"email":"a@b.com","createdAt":1704067200,"created_at":1704067200,"plan":"pro","anonymous_id":"anon-1"}}
            """, Assert.Single(_api.Received).Body);
    }

    [Fact]
    public void TheDestinationIsBuiltInWithValidTriggersAndPresets()
    {
        Assert.Contains(BuiltInDestinations.All, d => d.Definition.Slug == "actions-customerio");
        TriggersParseAndPresetsNameActions(Definition);
        Assert.All(Definition.Actions, action => Assert.Equal(50, action.MaxBatchSize));
    }

    private static int JsonDocumentLength(string body) => System.Text.Json.Nodes.JsonNode.Parse(body)!["batch"]!.AsArray().Count;
}
