using Junction.Destinations.Catalog.Klaviyo;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Klaviyo;

public sealed class KlaviyoDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"api_key":"pk_live"}""";
    private readonly KlaviyoDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static string Event(string id) => $$$"""
        {"profile":{"email":"a@b.com","external_id":"user-1","anonymous_id":"anon-1"},"metric_name":"Order Completed",
         "properties":{"order_id":"o1","total":25},"time":"2024-05-01T10:00:00.000Z","value":25,"unique_id":"{{{id}}}"}
        """;

    // The base URL carries Klaviyo's /api prefix, as the default one does.
    private Task<SendResult> SendAsync(string actionId, params string[] payloads) =>
        _destination.SendAsync(Context(_api.BaseUrl + "/api", Settings), Batch(KlaviyoDestination.Definition, actionId, payloads), CancellationToken.None).AsTask();

    [Fact]
    public async Task OneEventIsPostedToEventsAsAJsonApiDocumentWithTheKeyAndRevisionHeaders()
    {
        _api.AnswerAlways(new FakeAnswer(202, ""));

        var result = await SendAsync("trackEvent", Event("m-1"));

        Assert.Equal(202, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events/", request.Path);
        Assert.Equal("Klaviyo-API-Key pk_live", request.Header("Authorization"));
        Assert.Equal("2025-01-15", request.Header("revision"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        SameJson("""
            {"data":{"type":"event","attributes":{"properties":{"order_id":"o1","total":25},"time":"2024-05-01T10:00:00.000Z","value":25,"unique_id":"m-1",
              "metric":{"data":{"type":"metric","attributes":{"name":"Order Completed"}}},
              "profile":{"data":{"type":"profile","attributes":{"email":"a@b.com","external_id":"user-1","anonymous_id":"anon-1"}}}}}}
            """, request.Body);
    }

    [Fact]
    public async Task SeveralEventsGoAsOneBulkCreateJob()
    {
        _api.AnswerAlways(new FakeAnswer(202, ""));

        await SendAsync("trackEvent", Event("m-1"), Event("m-2"));

        var request = Assert.Single(_api.Received);
        Assert.Equal("/api/event-bulk-create-jobs/", request.Path);
        var body = Json(request.Body);
        Assert.Equal("event-bulk-create-job", (string?)body["data"]!["type"]);
        var entries = body["data"]!["attributes"]!["events-bulk-create"]!["data"]!.AsArray();
        Assert.Equal(2, entries.Count);
        SameJson("""
            {"type":"event-bulk-create","attributes":{
              "profile":{"data":{"type":"profile","attributes":{"email":"a@b.com","external_id":"user-1","anonymous_id":"anon-1"}}},
              "events":{"data":[{"type":"event","attributes":{"properties":{"order_id":"o1","total":25},"time":"2024-05-01T10:00:00.000Z","value":25,
                "unique_id":"m-2","metric":{"data":{"type":"metric","attributes":{"name":"Order Completed"}}}}}]}}}
            """, entries[1]!.ToJsonString());
    }

    [Fact]
    public async Task WhenABulkJobIsRefusedForSomeEventsOnlyThoseFailAndTheOthersAreResent()
    {
        _api.Then(new FakeAnswer(400, """{"errors":[{"status":400,"code":"invalid","detail":"bad time","source":{"pointer":"/data/attributes/events-bulk-create/data/1/attributes/events/data/0/attributes/time"}}]}"""));
        _api.AnswerAlways(new FakeAnswer(202, ""));

        var result = await SendAsync("trackEvent", Event("m-1"), Event("m-2"), Event("m-3"));

        Assert.Equal([202, 400, 202], result.ItemStatuses);
        Assert.Equal(2, _api.Received.Count);
        Assert.Equal(2, Json(_api.Received[1].Body)["data"]!["attributes"]!["events-bulk-create"]!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task AnEventWhoseProfileHasNoIdentifierIsInvalidAndNotSent()
    {
        var result = await SendAsync("trackEvent", """{"profile":{},"metric_name":"Order Completed"}""");

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndThrottlingComeBackWithTheirStatus(int status) =>
        await AssertFailurePassedThroughAsync(_api, status, () => SendAsync("trackEvent", Event("m-1")));

    [Fact]
    public async Task UpsertProfileCreatesTheProfileThenAddsItToTheList()
    {
        _api.Then(new FakeAnswer(201, """{"data":{"type":"profile","id":"01HPROFILE"}}"""), new FakeAnswer(204, ""));

        var result = await SendAsync("upsertProfile", """{"email":"a@b.com","external_id":"user-1","first_name":"Ann","location":{"city":"Paris"},"properties":{"plan":"pro"},"list_id":"L1"}""");

        Assert.Equal(204, result.Status);
        Assert.Equal(["POST /api/profiles/", "POST /api/lists/L1/relationships/profiles/"], _api.Received.Select(r => $"{r.Method} {r.Path}"));
        SameJson("""{"data":{"type":"profile","attributes":{"email":"a@b.com","external_id":"user-1","first_name":"Ann","location":{"city":"Paris"},"properties":{"plan":"pro"}}}}""",
            _api.Received[0].Body);
        SameJson("""{"data":[{"type":"profile","id":"01HPROFILE"}]}""", _api.Received[1].Body);
    }

    [Fact]
    public async Task WhenTheProfileExistsTheDuplicateKlaviyoNamesIsPatched()
    {
        _api.Then(new FakeAnswer(409, """{"errors":[{"status":409,"code":"duplicate_profile","meta":{"duplicate_profile_id":"01HDUP"}}]}"""), new FakeAnswer(200, "{}"));

        var result = await SendAsync("upsertProfile", """{"email":"a@b.com","first_name":"Ann"}""");

        Assert.Equal(200, result.Status);
        Assert.Equal("PATCH /api/profiles/01HDUP/", $"{_api.Received[1].Method} {_api.Received[1].Path}");
        SameJson("""{"data":{"type":"profile","attributes":{"email":"a@b.com","first_name":"Ann"},"id":"01HDUP"}}""", _api.Received[1].Body);
    }

    [Fact]
    public void UniqueIdDefaultsToTheMessageIdAndEventsBatchUpToAThousand()
    {
        var track = KlaviyoDestination.Definition.FindAction("trackEvent")!;

        SameJson("""{"@path":"$.messageId"}""", track.DefaultMapping()["unique_id"]!.ToJsonString());
        Assert.Equal(1000, track.MaxBatchSize);
    }
}
