using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Intercom;
using Junction.Destinations.Framework;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.Intercom;

public sealed class IntercomDestinationTests : IAsyncLifetime
{
    private const string NoContact = """{"type":"list","data":[],"total_count":0}""";
    private const string OneContact = """{"type":"list","data":[{"type":"contact","id":"c9","external_id":"u1"}],"total_count":1}""";
    private const string TwoContacts = """{"type":"list","data":[{"type":"contact","id":"c8"},{"type":"contact","id":"c9"}],"total_count":2}""";

    private static readonly HttpClient Http = new();
    private readonly IntercomDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task WhenNoContactMatchesIdentifyCreatesOneWithTheBearerToken()
    {
        _api.AnswerAlways(r => r.Path == "/contacts/search" ? new FakeAnswer(200, NoContact) : new FakeAnswer(200, """{"id":"c1"}"""));
        var payload = new JsonObject
        {
            ["role"] = "user",
            ["external_id"] = "u1",
            ["email"] = "a@b.com",
            ["name"] = "Ada",
            ["last_seen_at"] = "2024-05-01T10:00:00.000Z",
            ["signed_up_at"] = "2024-01-01T00:00:00Z",
            ["custom_attributes"] = new JsonObject { ["plan"] = "pro" },
        };

        var result = await SendAsync(IntercomDestination.IdentifyContact, payload);

        Assert.Equal(200, result.Status);
        Assert.Equal(2, _api.Received.Count);
        var search = _api.Received[0];
        Assert.Equal(("POST", "/contacts/search"), (search.Method, search.Path));
        Assert.Equal("Bearer tok-1", search.Header("Authorization"));
        Assert.Equal("application/json", search.Header("Accept"));
        AssertJson("""{"query":{"field":"external_id","operator":"=","value":"u1"}}""", search.Body);
        var create = _api.Received[1];
        Assert.Equal(("POST", "/contacts"), (create.Method, create.Path));
        Assert.Equal("Bearer tok-1", create.Header("Authorization"));
        Assert.StartsWith("application/json", create.ContentType, StringComparison.Ordinal);
        AssertJson(
            """{"role":"user","external_id":"u1","email":"a@b.com","name":"Ada","custom_attributes":{"plan":"pro"},"signed_up_at":1704067200,"last_seen_at":1714557600}""",
            create.Body);
    }

    [Fact]
    public async Task WhenOneContactMatchesIdentifyUpdatesIt()
    {
        _api.Then(new FakeAnswer(200, OneContact));

        await SendAsync(IntercomDestination.IdentifyContact, new JsonObject { ["role"] = "user", ["external_id"] = "u1", ["phone"] = "+331" });

        var update = _api.Received[1];
        Assert.Equal(("PUT", "/contacts/c9"), (update.Method, update.Path));
        AssertJson("""{"role":"user","external_id":"u1","phone":"+331"}""", update.Body);
    }

    [Fact]
    public async Task WithoutAnExternalIdTheContactIsSearchedByEmail()
    {
        _api.Then(new FakeAnswer(200, NoContact));

        await SendAsync(IntercomDestination.IdentifyContact, new JsonObject { ["role"] = "lead", ["email"] = "a@b.com" });

        AssertJson("""{"query":{"field":"email","operator":"=","value":"a@b.com"}}""", _api.Received[0].Body);
    }

    [Fact]
    public async Task WhenSeveralContactsMatchIdentifyChangesNothingAndFailsPermanently()
    {
        _api.Then(new FakeAnswer(200, TwoContacts));

        var result = await SendAsync(IntercomDestination.IdentifyContact, new JsonObject { ["role"] = "user", ["email"] = "a@b.com" });

        Assert.Equal(SendOutcome.Abort, SendClassifier.Classify(result.Status));
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task WhenCreatingAnswers409TheIdentifyIsRetriedLater()
    {
        _api.Then(new FakeAnswer(200, NoContact), new FakeAnswer(409, """{"type":"error.list","errors":[{"code":"conflict"}]}"""));

        var result = await SendAsync(IntercomDestination.IdentifyContact, new JsonObject { ["role"] = "user", ["external_id"] = "u1" });

        Assert.Equal(SendOutcome.Retry, SendClassifier.Classify(result.Status));
        Assert.Contains("conflict", result.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupCreatesTheCompanyThenAttachesTheOnlyMatchingContact()
    {
        _api.Then(new FakeAnswer(200, OneContact), new FakeAnswer(200, """{"type":"company","id":"comp-1","company_id":"acme"}"""));
        var payload = new JsonObject
        {
            ["company_id"] = "acme",
            ["external_id"] = "u1",
            ["name"] = "Acme",
            ["remote_created_at"] = "2024-01-01T00:00:00Z",
            ["monthly_spend"] = 99.5,
            ["size"] = 329,
        };

        var result = await SendAsync(IntercomDestination.GroupIdentifyContact, payload);

        Assert.Equal(200, result.Status);
        Assert.Equal(["/contacts/search", "/companies", "/contacts/c9/companies"], _api.Received.Select(r => r.Path).ToArray());
        AssertJson("""{"company_id":"acme","name":"Acme","monthly_spend":99.5,"size":329,"remote_created_at":1704067200}""", _api.Received[1].Body);
        AssertJson("""{"id":"comp-1"}""", _api.Received[2].Body);
    }

    [Fact]
    public async Task GroupWithoutAMatchingContactOnlyWritesTheCompany()
    {
        _api.Then(new FakeAnswer(200, NoContact));

        await SendAsync(IntercomDestination.GroupIdentifyContact, new JsonObject { ["company_id"] = "acme", ["email"] = "x@acme.com" });

        Assert.Equal(["/contacts/search", "/companies"], _api.Received.Select(r => r.Path).ToArray());
    }

    [Fact]
    public async Task TrackPostsTheEventWithUnixTimeAndRevenueAsPriceInCents()
    {
        var payload = new JsonObject
        {
            ["event_name"] = "Order Completed",
            ["created_at"] = "2024-05-01T10:00:00.000Z",
            ["user_id"] = "u1",
            ["revenue"] = 25.5,
            ["currency"] = "EUR",
            ["metadata"] = new JsonObject { ["order_id"] = "o-1", ["revenue"] = 25.5, ["currency"] = "EUR", ["email"] = "a@b.com" },
        };

        var result = await SendAsync(IntercomDestination.TrackEvent, payload);

        Assert.Equal(200, result.Status);
        var request = Assert.Single(_api.Received);
        Assert.Equal(("POST", "/events"), (request.Method, request.Path));
        AssertJson(
            """{"event_name":"Order Completed","created_at":1714557600,"user_id":"u1","metadata":{"order_id":"o-1","price":{"amount":2550,"currency":"EUR"}}}""",
            request.Body);
    }

    [Fact]
    public async Task TrackWithOnlyAnEmailFindsTheContactAndSendsItsId()
    {
        _api.Then(new FakeAnswer(200, OneContact));

        await SendAsync(IntercomDestination.TrackEvent, new JsonObject { ["event_name"] = "Viewed", ["created_at"] = 1714557600, ["email"] = "a@b.com" });

        AssertJson("""{"query":{"field":"email","operator":"=","value":"a@b.com"}}""", _api.Received[0].Body);
        AssertJson("""{"event_name":"Viewed","created_at":1714557600,"email":"a@b.com","id":"c9"}""", _api.Received[1].Body);
    }

    [Fact]
    public async Task TrackForAnEmailThatMatchesNoContactFailsPermanentlyWithoutPostingTheEvent()
    {
        _api.Then(new FakeAnswer(200, NoContact));

        var result = await SendAsync(IntercomDestination.TrackEvent, new JsonObject { ["event_name"] = "Viewed", ["created_at"] = 1714557600, ["email"] = "a@b.com" });

        Assert.Equal(404, result.Status);
        Assert.Single(_api.Received);
    }

    [Theory]
    [InlineData(IntercomDestination.IdentifyContact, """{"external_id":"u1"}""")]
    [InlineData(IntercomDestination.IdentifyContact, """{"role":"user"}""")]
    [InlineData(IntercomDestination.GroupIdentifyContact, """{"name":"Acme"}""")]
    [InlineData(IntercomDestination.TrackEvent, """{"event_name":"Viewed","user_id":"u1"}""")]
    [InlineData(IntercomDestination.TrackEvent, """{"event_name":"Viewed","created_at":"2024-05-01T10:00:00Z"}""")]
    public async Task APayloadMissingARequiredValueIsInvalidAndNothingIsSent(string action, string payload)
    {
        var result = await SendAsync(action, JsonNode.Parse(payload)!.AsObject());

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WhenIntercomAnswersARetryableErrorTheStatusAndRetryAfterComeBack(int status)
    {
        _api.Then(new FakeAnswer(status, """{"type":"error.list"}""", RetryAfter: "10"));

        var result = await SendAsync(IntercomDestination.TrackEvent, new JsonObject { ["event_name"] = "Viewed", ["created_at"] = 1714557600, ["user_id"] = "u1" });

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(10), result.RetryAfter);
    }

    [Fact]
    public async Task WhenTheSearchFailsTheFailureIsTheResultAndNothingIsWritten()
    {
        _api.Then(new FakeAnswer(503, RetryAfter: "4"));

        var result = await SendAsync(IntercomDestination.IdentifyContact, new JsonObject { ["role"] = "user", ["external_id"] = "u1" });

        Assert.Equal(503, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(4), result.RetryAfter);
        Assert.Single(_api.Received);
    }

    [Fact]
    public async Task WhenIntercomAnswers400TheResultIsThat400()
    {
        _api.Then(new FakeAnswer(400, """{"type":"error.list","errors":[{"code":"parameter_invalid"}]}"""));

        var result = await SendAsync(IntercomDestination.TrackEvent, new JsonObject { ["event_name"] = "Viewed", ["created_at"] = 1714557600, ["user_id"] = "u1" });

        Assert.Equal(400, result.Status);
        Assert.Contains("parameter_invalid", result.Body, StringComparison.Ordinal);
        Assert.Null(result.Problem);
    }

    [Fact]
    public void EachActionStartsWithTheTriggerOfItsCallType()
    {
        var triggers = IntercomDestination.Definition.Actions.ToDictionary(a => a.Id, a => a.DefaultTrigger);
        Assert.Equal("type = \"identify\"", triggers[IntercomDestination.IdentifyContact]);
        Assert.Equal("type = \"group\"", triggers[IntercomDestination.GroupIdentifyContact]);
        Assert.Equal("type = \"track\"", triggers[IntercomDestination.TrackEvent]);
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nbut got  {actual}");

    private async Task<SendResult> SendAsync(string actionId, JsonObject payload)
    {
        var context = new SendContext(Http, new JsonObject { ["accessToken"] = "tok-1" }, _api.BaseUrl, TimeProvider.System);
        var action = IntercomDestination.Definition.FindAction(actionId)!;
        var item = new DeliveryItem("m-1", payload, JsonDocument.Parse("{}").RootElement);
        return await _destination.SendAsync(context, new ActionBatch(action, [item]), CancellationToken.None);
    }
}
