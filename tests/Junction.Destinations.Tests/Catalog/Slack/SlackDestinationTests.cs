using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Catalog.Slack;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.Slack;

public sealed class SlackDestinationTests : IAsyncLifetime
{
    private const string WebhookUrl = "https://hooks.slack.com/services/T000/B000/XXXX";
    private static readonly HttpClient Http = new();
    private readonly SlackDestination _destination = new();
    private FakeApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeApi.StartAsync();
        _api.AnswerAlways(new FakeAnswer(200, "ok", "text/plain"));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheMessageIsPostedAsJsonToTheWebhookPathWithChannelUserAndIcon()
    {
        var payload = new JsonObject
        {
            ["url"] = WebhookUrl,
            ["text"] = "u1 did Order Completed",
            ["channel"] = "#alerts",
            ["username"] = "Junction",
            ["icon_url"] = "https://example.com/icon.png",
        };

        var result = await SendAsync(payload);

        Assert.Equal(200, result.Status);
        Assert.Equal("ok", result.Body);
        var request = Assert.Single(_api.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/services/T000/B000/XXXX", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(
            """{"channel":"#alerts","text":"u1 did Order Completed","username":"Junction","icon_url":"https://example.com/icon.png"}""",
            request.Body);
    }

    [Fact]
    public async Task EmptyOptionalFieldsAreLeftOutOfTheMessage()
    {
        await SendAsync(new JsonObject { ["url"] = WebhookUrl, ["text"] = "hello", ["channel"] = "" });

        Assert.Equal("""{"text":"hello"}""", Assert.Single(_api.Received).Body);
    }

    [Fact]
    public async Task TheTextRenderedByTheMappingsTemplateIsSentAsIs()
    {
        var mapping = SlackDestination.Definition.Actions[0].DefaultMapping();
        mapping["url"] = WebhookUrl;
        mapping["text"] = JsonNode.Parse("""{"@template":"{{userId}} did {{event}} for {{properties.total}}"}""");
        var compilation = CompiledMapping.Compile(mapping.ToJsonString());
        Assert.True(compilation.Succeeded);
        var mapped = compilation.Mapping.Evaluate(JsonDocument.Parse("""{"type":"track","userId":"u1","event":"Order Completed","properties":{"total":25}}""").RootElement);
        Assert.True(mapped.Succeeded);

        await SendAsync(mapped.Payload);

        Assert.Equal("""{"text":"u1 did Order Completed for 25","username":"Junction"}""", Assert.Single(_api.Received).Body);
    }

    [Fact]
    public async Task WithoutABaseUrlOverrideTheMessageGoesToTheWebhookUrlItself()
    {
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder);
        var context = new SendContext(http, [], SlackDestination.Definition.DefaultBaseUrl, TimeProvider.System);

        var result = await _destination.SendAsync(context, Batch(new JsonObject { ["url"] = WebhookUrl, ["text"] = "hi" }), CancellationToken.None);

        Assert.Equal(200, result.Status);
        Assert.Equal(new Uri(WebhookUrl), recorder.Uri);
    }

    [Theory]
    [InlineData("http://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("https://hooks.slack.com.evil.example/services/T000")]
    [InlineData("https://example.com/services/T000/B000/XXXX")]
    [InlineData("")]
    public async Task AUrlThatIsNotASlackWebhookIsInvalidAndNothingIsSent(string url)
    {
        var result = await SendAsync(new JsonObject { ["url"] = url, ["text"] = "hi" });

        Assert.Equal(SendResult.InvalidPayloadStatus, result.Status);
        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Fact]
    public async Task AMissingTextIsInvalidAndNothingIsSent()
    {
        var result = await SendAsync(new JsonObject { ["url"] = WebhookUrl });

        Assert.NotNull(result.Problem);
        Assert.Empty(_api.Received);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task WhenSlackAnswersARetryableErrorTheStatusAndRetryAfterComeBack(int status)
    {
        _api.Then(new FakeAnswer(status, "rate_limited", "text/plain", RetryAfter: "1"));

        var result = await SendAsync(new JsonObject { ["url"] = WebhookUrl, ["text"] = "hi" });

        Assert.Equal(status, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
    }

    [Fact]
    public async Task WhenSlackAnswers400TheResultIsThat400()
    {
        _api.Then(new FakeAnswer(400, "invalid_payload", "text/plain"));

        var result = await SendAsync(new JsonObject { ["url"] = WebhookUrl, ["text"] = "hi" });

        Assert.Equal(400, result.Status);
        Assert.Equal("invalid_payload", result.Body);
        Assert.Null(result.Problem);
    }

    private static ActionBatch Batch(JsonObject payload) =>
        new(SlackDestination.Definition.Actions[0], [new DeliveryItem("m-1", payload, JsonDocument.Parse("{}").RootElement)]);

    private async Task<SendResult> SendAsync(JsonObject payload) =>
        await _destination.SendAsync(new SendContext(Http, [], _api.BaseUrl, TimeProvider.System), Batch(payload), CancellationToken.None);

    /// <summary>Answers 200 "ok" to anything and remembers the address: Slack's own host cannot be faked on loopback.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") });
        }
    }
}
