using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Junction.Destinations.Tests.Catalog.Analytics;

/// <summary>Builds sends for the analytics destinations' tests: a context pointed at a fake, batches of mapped payloads, JSON checks.</summary>
internal static class AnalyticsKit
{
    private static readonly HttpClient Http = new();
    private static readonly JsonElement NoEvent = JsonDocument.Parse("{}").RootElement.Clone();

    public static SendContext Context(string baseUrl, string settings) =>
        new(Http, JsonNode.Parse(settings)!.AsObject(), baseUrl, TimeProvider.System);

    public static SendContext Context(FakeApi api, string settings) => Context(api.BaseUrl, settings);

    /// <summary>A batch of the action with these mapped payloads; messageIds are m-0, m-1 …</summary>
    public static ActionBatch Batch(DestinationDefinition definition, string actionId, params string[] payloads) =>
        new(definition.FindAction(actionId)!, [.. payloads.Select((p, i) => new DeliveryItem($"m-{i}", JsonNode.Parse(p)!.AsObject(), NoEvent))]);

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;

    /// <summary>Fails unless both texts hold the same JSON (key order aside).</summary>
    public static void SameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nbut got  {actual}");

    /// <summary>The fields of a form-urlencoded body.</summary>
    public static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Answers the next request with <paramref name="status"/> and checks the result carries it (and Retry-After).</summary>
    public static async Task AssertFailurePassedThroughAsync(FakeApi api, int status, Func<Task<SendResult>> send)
    {
        api.Then(new FakeAnswer(status, """{"error":"scripted"}""", RetryAfter: status == 429 ? "7" : null));

        var result = await send();

        Assert.Equal(status, result.Status);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(7) : null, result.RetryAfter);
        Assert.Equal(SendOutcome.Retry, SendClassifier.Classify(result.Status));
    }
}
