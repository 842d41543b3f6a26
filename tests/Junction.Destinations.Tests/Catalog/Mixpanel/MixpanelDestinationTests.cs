using System.Text;
using Junction.Destinations.Catalog.Mixpanel;
using Junction.Destinations.Framework;
using Junction.Testing;
using static Junction.Destinations.Tests.Catalog.CatalogKit;

namespace Junction.Destinations.Tests.Catalog.Mixpanel;

public sealed class MixpanelDestinationTests : IAsyncLifetime
{
    private const string Settings = """{"projectToken":"TOKEN","apiSecret":"SECRET","apiRegion":"US 🇺🇸","sourceName":"web","strictMode":"1"}""";
    private readonly MixpanelDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    private static string Event(string name) => $$$"""
        {"event":"{{{name}}}","distinct_id":"user-1","anonymous_id":"anon-1","user_id":"user-1","insert_id":"m-{{{name}}}","time":"2024-05-01T10:00:00.000Z",
         "ip":"1.2.3.4","os_name":"iOS","library_name":"analytics.js","event_properties":{"order_id":"o1","revenue":25,"distinct_id":"ignored"},
         "utm_properties":{"utm_source":"google"}}
        """;

    private Task<SendResult> SendAsync(string actionId, params string[] payloads) =>
        _destination.SendAsync(Context(_api, Settings), Batch(MixpanelDestination.Definition, actionId, payloads), CancellationToken.None).AsTask();

    [Fact]
    public async Task TrackEventImportsTheBatchAsOneJsonArrayWithTheSecretAsBasicAuth()
    {
        var result = await SendAsync("trackEvent", Event("Order Completed"), Event("Song Played"));

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/import", request.Path);
        Assert.Equal("?strict=1", request.Query);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SECRET:")), request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var events = Json(request.Body).AsArray();
        Assert.Equal(2, events.Count);
        SameJson("""
            {"event":"Order Completed","properties":{"time":1714557600000,"distinct_id":"user-1","$insert_id":"m-Order Completed","$device_id":"anon-1",
             "$anon_id":"anon-1","$user_id":"user-1","ip":"1.2.3.4","$os":"iOS","mp_lib":"Segment Actions: analytics.js","$source":"segment",
             "segment_source_name":"web","utm_source":"google","order_id":"o1","revenue":25}}
            """, events[0]!.ToJsonString());
    }

    [Fact]
    public async Task WhenStrictImportRefusesSomeRecordsOnlyThoseFailAndTheRestAreDelivered()
    {
        _api.Then(new FakeAnswer(400, """{"code":400,"error":"some data points in the request failed validation","num_records_imported":2,"failed_records":[{"index":1,"$insert_id":"m-B","field":"properties.time","message":"too old"}]}"""));

        var result = await SendAsync("trackEvent", Event("A"), Event("B"), Event("C"));

        Assert.Equal([200, 400, 200], result.ItemStatuses);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task AnEventWithoutANameIsInvalidAndNotSent()
    {
        var result = await SendAsync("trackEvent", """{"distinct_id":"user-1"}""");

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task AnEventWithoutANameIsRefusedInABatchWhileTheOthersAreImported()
    {
        var result = await SendAsync("trackEvent", Event("A"), """{"distinct_id":"user-1"}""");

        Assert.Equal([200, 400], result.ItemStatuses);
        Assert.Single(Json(Assert.Single(_api.Received).Body).AsArray());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ServerErrorsAndThrottlingComeBackWithTheirStatus(int status) =>
        await AssertFailurePassedThroughAsync(_api, status, () => SendAsync("trackEvent", Event("A")));

    [Fact]
    public async Task IdentifyLinksTheAnonymousIdThenSetsTheProfileWithMixpanelsReservedNames()
    {
        await SendAsync("identifyUser", """{"user_id":"user-1","anonymous_id":"anon-1","ip":"1.2.3.4","traits":{"email":"a@b.com","firstName":"Ann","lastName":"Lee","plan":"pro"}}""");

        Assert.Equal(["/track", "/engage"], _api.Received.Select(r => r.Path));
        Assert.All(_api.Received, r => Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType, StringComparison.Ordinal));
        SameJson("""{"event":"$identify","properties":{"$identified_id":"user-1","$anon_id":"anon-1","token":"TOKEN","segment_source_name":"web"}}""",
            Form(_api.Received[0].Body)["data"]);
        SameJson("""{"$token":"TOKEN","$distinct_id":"user-1","$ip":"1.2.3.4","$set":{"$email":"a@b.com","$first_name":"Ann","$last_name":"Lee","plan":"pro","$name":"Ann Lee"}}""",
            Form(_api.Received[1].Body)["data"]);
    }

    [Fact]
    public async Task WhenEngageAnswersZeroTheProfileUpdateCountsAsRefused()
    {
        _api.AnswerAlways(new FakeAnswer(200, "0", "text/plain"));

        var result = await SendAsync("identifyUser", """{"user_id":"user-1","traits":{"plan":"pro"}}""");

        Assert.Equal(400, result.Status);
    }

    [Fact]
    public async Task GroupIdentifySetsTheGroupProfileUnderTheGroupKey()
    {
        await SendAsync("groupIdentifyUser", """{"group_key":"company_id","group_id":"g-1","traits":{"name":"Acme","employees":40}}""");

        var request = Assert.Single(_api.Received);
        Assert.Equal("/groups", request.Path);
        SameJson("""{"$token":"TOKEN","$group_key":"company_id","$group_id":"g-1","$set":{"$name":"Acme","employees":40}}""", Form(request.Body)["data"]);
    }

    [Fact]
    public async Task AliasSendsCreateAliasToTrack()
    {
        await SendAsync("alias", """{"distinct_id":"old-id","alias":"user-1"}""");

        var request = Assert.Single(_api.Received);
        Assert.Equal("/track", request.Path);
        SameJson("""{"event":"$create_alias","properties":{"distinct_id":"old-id","alias":"user-1","token":"TOKEN"}}""", Form(request.Body)["data"]);
    }

    [Fact]
    public void InsertIdDefaultsToTheMessageIdAndEventsBatchUpToMixpanelsLimit()
    {
        var track = MixpanelDestination.Definition.FindAction("trackEvent")!;

        SameJson("""{"@path":"$.messageId"}""", track.DefaultMapping()["insert_id"]!.ToJsonString());
        Assert.Equal(2000, track.MaxBatchSize);
    }
}
