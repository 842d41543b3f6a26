using Junction.Destinations.Catalog;
using Junction.Destinations.Catalog.HubSpot;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.HubSpot;

public sealed class HubSpotDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"privateAppToken":"pat-1","portalId":"12345"}""";
    private readonly HubSpotDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static DestinationDefinition Definition => HubSpotDestination.Definition;

    private Task<SendResult> Send(string actionId, DeliveryItem item) =>
        _destination.SendAsync(Context(_api, Settings), Batch(Definition, actionId, item), CancellationToken.None).AsTask();

    [Fact]
    public async Task AContactIsUpdatedByEmailWithTrimmedFlatPropertiesAndTheBearerToken()
    {
        _api.Then(new FakeAnswer(200, """{"id":"501","properties":{"lifecyclestage":"lead"}}"""));

        var result = await Send("upsertContact", Item("""
            {"email":"a@b.com","firstname":" Ann ","lastname":"Lee","city":"Paris","lifecyclestage":"Lead",
             "properties":{"plan":"pro","tags":["a","b"],"prefs":{"news":true},"gone":null,"seats":3}}
            """));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/crm/v3/objects/contacts/a@b.com", request.Path);
        Assert.Equal("?idProperty=email", request.Query);
        Assert.Equal("Bearer pat-1", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        SameJson("""
            {"properties":{"email":"a@b.com","firstname":"Ann","lastname":"Lee","city":"Paris","lifecyclestage":"lead",
             "plan":"pro","tags":"a;b","prefs":"{\"news\":true}","seats":3}}
            """, request.Body);
    }

    [Fact]
    public async Task AnUnknownContactIsCreatedAfterTheUpdateAnswers404()
    {
        _api.Then(new FakeAnswer(404, """{"status":"error","category":"OBJECT_NOT_FOUND"}"""), new FakeAnswer(201, """{"id":"502"}"""));

        var result = await Send("upsertContact", Item("""{"email":"new@b.com","firstname":"Neo"}"""));

        Assert.Equal(201, result.Status);
        Assert.Equal(["PATCH", "POST"], _api.Received.Select(r => r.Method));
        Assert.Equal("/crm/v3/objects/contacts", _api.Received[1].Path);
        SameJson("""{"properties":{"email":"new@b.com","firstname":"Neo"}}""", _api.Received[1].Body);
    }

    [Fact]
    public async Task AnEarlierLifecycleStageIsClearedAndThenSet()
    {
        _api.Then(new FakeAnswer(200, """{"id":"501","properties":{"lifecyclestage":"customer"}}"""));

        await Send("upsertContact", Item("""{"email":"a@b.com","lifecyclestage":"lead"}"""));

        Assert.Equal(3, _api.Received.Count);
        Assert.All(_api.Received.Skip(1), r => Assert.Equal("/crm/v3/objects/contacts/501", r.Path));
        SameJson("""{"properties":{"lifecyclestage":""}}""", _api.Received[1].Body);
        SameJson("""{"properties":{"lifecyclestage":"lead"}}""", _api.Received[2].Body);
    }

    [Fact]
    public async Task ATrackIsSentAsACustomBehavioralEvent()
    {
        _api.Then(new FakeAnswer(204, ""));

        var result = await Send("sendCustomBehavioralEvent", Item("""
            {"eventName":"pe12345_order_completed","occurredAt":"2024-05-01T10:00:00.000Z","email":"a@b.com","properties":{"order_id":"o1","total":25,"skus":["x","y"]}}
            """));

        Assert.Equal(204, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/events/v3/send", request.Path);
        SameJson("""
            {"eventName":"pe12345_order_completed","occurredAt":"2024-05-01T10:00:00.000Z","email":"a@b.com","properties":{"order_id":"o1","total":25,"skus":"x;y"}}
            """, request.Body);
    }

    [Theory]
    [InlineData("upsertContact", """{"firstname":"Ann"}""")]
    [InlineData("sendCustomBehavioralEvent", """{"email":"a@b.com"}""")]
    [InlineData("sendCustomBehavioralEvent", """{"eventName":"pe12345_signed_up"}""")]
    [InlineData("sendCustomBehavioralEvent", """{"eventName":"Signed Up","email":"a@b.com"}""")]
    public async Task APayloadMissingWhatHubSpotNeedsIsInvalidAndNothingIsSent(string actionId, string payload)
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
        _api.Then(new FakeAnswer(status, """{"status":"error","category":"RATE_LIMITS"}""", RetryAfter: "10"));

        var result = await Send("upsertContact", Item("""{"email":"a@b.com"}"""));

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(10), result.RetryAfter);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task TheDefaultMappingTurnsAnIdentifyIntoContactProperties()
    {
        _api.Then(new FakeAnswer(200, """{"id":"501","properties":{}}"""));
        var item = MapWithDefaults(Definition.FindAction("upsertContact")!, """
            {"type":"identify","userId":"u1","traits":{"email":"a@b.com","firstName":"Ann","last_name":"Lee","company":"Acme",
             "address":{"street":"1 Main St","city":"Paris","postalCode":"75001"}}}
            """);

        await Send("upsertContact", item);

        SameJson("""
            {"properties":{"email":"a@b.com","firstname":"Ann","lastname":"Lee","company":"Acme","address":"1 Main St","city":"Paris","zip":"75001"}}
            """, Assert.Single(_api.Received).Body);
    }

    [Fact]
    public void TheDestinationIsBuiltInWithValidTriggersAndSendsOneEventPerCall()
    {
        Assert.Contains(BuiltInDestinations.All, d => d.Definition.Slug == "actions-hubspot-cloud");
        TriggersParseAndPresetsNameActions(Definition);
        Assert.All(Definition.Actions, action => Assert.Equal(1, action.MaxBatchSize));
    }
}
