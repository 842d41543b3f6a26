using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.PostHog;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.PostHog;

public sealed class PostHogDestinationTests : IAsyncLifetime
{
    private const string MessageUuid = "7f0c7a4e-2d0b-4a57-9d35-3c1f6f5b2a10";
    private static readonly HttpClient Http = new();
    private readonly PostHogDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeApi.StartAsync();
        _api.AnswerAlways(new FakeAnswer(200, """{"status":1}"""));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TrackEventsGoInOneBatchRequestWithTheApiKeyInTheBody()
    {
        var first = Track("Order Completed", "u1", """{"total":25}""", ip: "1.2.3.4");
        var second = Track("Signed Up", "u2", "{}");

        var result = await SendAsync("event", [(MessageUuid, first), ("m-2", second)]);

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal(("POST", "/batch/"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Null(request.Header("Authorization"));
        AssertJson(
            $$$"""
            {"api_key":"phc_test","historical_migration":false,"batch":[
              {"event":"Order Completed","uuid":"{{{MessageUuid}}}","timestamp":"2024-05-01T10:00:01.000Z",
               "properties":{"total":25,"$ip":"1.2.3.4","distinct_id":"u1"}},
              {"event":"Signed Up","uuid":"{{{PostHogDestination.EventUuid("m-2")}}}","timestamp":"2024-05-01T10:00:01.000Z",
               "properties":{"distinct_id":"u2"}}]}
            """,
            request.Body);
    }

    [Fact]
    public async Task PageAndScreenViewsAreRenamedAndCarryTheUrlOrScreenName()
    {
        var page = Track("$pageview", "u1", "{}");
        page["event_type"] = "page";
        page["current_url"] = "https://x.example/pricing";
        page["screen_name"] = "ignored for pages";
        var screen = Track("$screenview", "u1", "{}");
        screen["event_type"] = "screen";
        screen["screen_name"] = "Home";

        await SendAsync("event", [("m-1", page), ("m-2", screen)]);

        var batch = JsonNode.Parse(Assert.Single(_api.Received).Body)!["batch"]!.AsArray();
        Assert.Equal("$pageview", (string?)batch[0]!["event"]);
        AssertJson("""{"$current_url":"https://x.example/pricing","distinct_id":"u1"}""", batch[0]!["properties"]!.ToJsonString());
        Assert.Equal("$screen", (string?)batch[1]!["event"]);
        AssertJson("""{"$screen_name":"Home","distinct_id":"u1"}""", batch[1]!["properties"]!.ToJsonString());
    }

    [Fact]
    public async Task OnlyAnonymousEventsAreMarkedAsNotProcessingAPersonProfile()
    {
        var anonymous = Track("Viewed", "u1", "{}");
        anonymous["anonymous_event_capture"] = true;
        var identified = Track("Viewed", "u1", "{}");
        identified["anonymous_event_capture"] = false;

        await SendAsync("event", [("m-1", anonymous), ("m-2", identified)]);

        var batch = JsonNode.Parse(Assert.Single(_api.Received).Body)!["batch"]!.AsArray();
        Assert.False((bool)batch[0]!["properties"]!["$process_person_profile"]!);
        Assert.Null(batch[1]!["properties"]!["$process_person_profile"]);
    }

    [Fact]
    public async Task TheGeoipAndHistoricalMigrationSettingsAreSent()
    {
        var settings = new JsonObject { ["api_key"] = "phc_test", ["geoip_disable"] = true, ["historical_migration"] = true };

        await SendAsync("event", [("m-1", Track("Viewed", "u1", "{}"))], settings);

        var body = JsonNode.Parse(Assert.Single(_api.Received).Body)!;
        Assert.True((bool)body["historical_migration"]!);
        Assert.True((bool)body["batch"]![0]!["properties"]!["$geoip_disable"]!);
    }

    [Fact]
    public async Task IdentifySetsPersonPropertiesThroughTheCaptureEndpoint()
    {
        var payload = new JsonObject
        {
            ["distinct_id"] = "u1",
            ["properties"] = new JsonObject { ["email"] = "a@b.com", ["plan"] = "pro" },
            ["timestamp"] = "2024-05-01T10:00:00.000Z",
            ["ip_address"] = "1.2.3.4",
        };

        await SendAsync("identify", [(MessageUuid, payload)]);

        var request = Assert.Single(_api.Received);
        Assert.Equal(("POST", "/i/v0/e/"), (request.Method, request.Path));
        AssertJson(
            $$"""
            {"event":"$identify","api_key":"phc_test","distinct_id":"u1","uuid":"{{MessageUuid}}",
             "properties":{"$set":{"email":"a@b.com","plan":"pro"},"$ip":"1.2.3.4"},"timestamp":"2024-05-01T10:00:00.000Z"}
            """,
            request.Body);
    }

    [Fact]
    public async Task WithoutABaseUrlOverrideTheEndpointSettingChoosesTheHost()
    {
        var settings = new JsonObject { ["api_key"] = "phc_test", ["endpoint"] = _api.BaseUrl + "/" };
        var context = new SendContext(Http, settings, PostHogDestination.Definition.DefaultBaseUrl, TimeProvider.System);
        var batch = new ActionBatch(PostHogDestination.Definition.Actions[0], [Item("m-1", Track("Viewed", "u1", "{}"))]);

        var result = await _destination.SendAsync(context, batch, CancellationToken.None);

        Assert.Equal(200, result.Status);
        Assert.Equal("/batch/", Assert.Single(_api.Received).Path);
    }

    [Fact]
    public async Task ThePageViewPresetMapsAPageCallToAPageview()
    {
        var preset = Assert.Single(PostHogDestination.Definition.Presets, p => p.Name == "Page View");
        var compilation = CompiledMapping.Compile(preset.Mapping!.ToJsonString());
        Assert.True(compilation.Succeeded);
        var mapped = compilation.Mapping.Evaluate(JsonDocument.Parse(
            """{"type":"page","userId":"u1","name":"Pricing","properties":{"path":"/pricing"},"context":{"page":{"url":"https://x.example/pricing"},"ip":"1.2.3.4"},"receivedAt":"2024-05-01T10:00:01.000Z"}""").RootElement);
        Assert.True(mapped.Succeeded);

        await SendAsync("event", [("m-1", mapped.Payload)]);

        var sent = JsonNode.Parse(Assert.Single(_api.Received).Body)!["batch"]![0]!;
        Assert.Equal("$pageview", (string?)sent["event"]);
        AssertJson("""{"path":"/pricing","$current_url":"https://x.example/pricing","$ip":"1.2.3.4","distinct_id":"u1"}""", sent["properties"]!.ToJsonString());
    }

    [Fact]
    public void AMessageIdThatIsNotAUuidGivesTheSameVersion5UuidEveryTime()
    {
        var uuid = PostHogDestination.EventUuid("ajs-next-1714557600000-abc");

        Assert.Equal(uuid, PostHogDestination.EventUuid("ajs-next-1714557600000-abc"));
        Assert.NotEqual(uuid, PostHogDestination.EventUuid("ajs-next-1714557600000-abd"));
        Assert.Equal('5', uuid.ToString()[14]);
        Assert.Equal(Guid.Parse(MessageUuid), PostHogDestination.EventUuid(MessageUuid));
    }

    [Fact]
    public async Task AnEventWithoutADistinctIdIsRefusedAloneAndTheOthersAreSent()
    {
        var result = await SendAsync("event", [("m-1", Track("Viewed", "", "{}")), ("m-2", Track("Viewed", "u2", "{}"))]);

        Assert.Single(JsonNode.Parse(Assert.Single(_api.Received).Body)!["batch"]!.AsArray());
        Assert.Equal([400, 200], result.ItemStatuses!.ToArray());
    }

    [Theory]
    [InlineData("event", """{"event_type":"track","event_name":"Viewed"}""")]
    [InlineData("event", """{"event_type":"track","distinct_id":"u1"}""")]
    [InlineData("identify", """{"distinct_id":"u1"}""")]
    public async Task APayloadMissingARequiredValueIsInvalidAndNothingIsSent(string action, string payload)
    {
        var result = await SendAsync(action, [("m-1", JsonNode.Parse(payload)!.AsObject())]);

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task WithoutAnApiKeyNothingIsSent()
    {
        var result = await SendAsync("event", [("m-1", Track("Viewed", "u1", "{}"))], []);

        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WhenPostHogAnswersARetryableErrorTheStatusAndRetryAfterComeBack(int status)
    {
        _api.Then(new FakeAnswer(status, RetryAfter: "20"));

        var result = await SendAsync("event", [("m-1", Track("Viewed", "u1", "{}"))]);

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(20), result.RetryAfter);
    }

    [Fact]
    public async Task WhenPostHogAnswers400TheResultIsThat400()
    {
        _api.Then(new FakeAnswer(400, """{"type":"validation_error","code":"invalid_payload"}"""));

        var result = await SendAsync("identify", [("m-1", new JsonObject { ["distinct_id"] = "u1", ["properties"] = new JsonObject() })]);

        Assert.Equal(400, result.Status);
        Assert.Contains("invalid_payload", result.Body, StringComparison.Ordinal);
        Assert.Null(result.Problem);
    }

    private static JsonObject Track(string name, string distinctId, string properties, string? ip = null)
    {
        var payload = new JsonObject
        {
            ["event_type"] = "track",
            ["event_name"] = name,
            ["distinct_id"] = distinctId,
            ["properties"] = JsonNode.Parse(properties),
            ["anonymous_event_capture"] = false,
            ["timestamp"] = "2024-05-01T10:00:01.000Z",
        };
        if (ip is not null)
        {
            payload["ip_address"] = ip;
        }

        return payload;
    }

    private static DeliveryItem Item(string messageId, JsonObject payload) => new(messageId, payload, JsonDocument.Parse("{}").RootElement);

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nbut got  {actual}");

    private async Task<SendResult> SendAsync(string actionId, (string MessageId, JsonObject Payload)[] items, JsonObject? settings = null)
    {
        var context = new SendContext(Http, settings ?? new JsonObject { ["api_key"] = "phc_test" }, _api.BaseUrl, TimeProvider.System);
        var action = PostHogDestination.Definition.FindAction(actionId)!;
        return await _destination.SendAsync(context, new ActionBatch(action, [.. items.Select(i => Item(i.MessageId, i.Payload))]), CancellationToken.None);
    }
}
