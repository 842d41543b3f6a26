using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Subscriptions;
using Junction.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Junction.Destinations.Tests.Catalog;

/// <summary>
/// What the catalog destinations' tests share: contexts aimed at a fake, batches of mapped payloads (written by hand
/// or mapped with an action's defaults), JSON and form checks, and trigger checks.
/// </summary>
internal static class CatalogKit
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly JsonElement NoEvent = JsonDocument.Parse("{}").RootElement.Clone();

    public static SendContext Context(FakeApi api, string settings) => Context(api.BaseUrl, settings);

    public static SendContext Context(string baseUrl, string settings) =>
        new(Http, JsonNode.Parse(settings)!.AsObject(), baseUrl, TimeProvider.System);

    /// <summary>A mapped payload written by hand, as the mapping engine would hand it over.</summary>
    public static DeliveryItem Item(string payload, string messageId = "m-1") =>
        new(messageId, JsonNode.Parse(payload)!.AsObject(), NoEvent);

    /// <summary>A batch of the action with these mapped payloads; messageIds are m-0, m-1 …</summary>
    public static ActionBatch Batch(DestinationDefinition definition, string actionId, params string[] payloads) =>
        Batch(definition, actionId, [.. payloads.Select((p, i) => Item(p, $"m-{i}"))]);

    public static ActionBatch Batch(DestinationDefinition definition, string actionId, params DeliveryItem[] items) =>
        new(definition.FindAction(actionId) ?? throw new ArgumentException($"No action {actionId}.", nameof(actionId)), items);

    public static JsonNode Json(string json) => JsonNode.Parse(json)!;

    /// <summary>Fails unless both texts hold the same JSON (key order aside).</summary>
    public static void SameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}but got {actual}");

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

    /// <summary>Maps an event with the action's default mapping, through Junction's mapping engine.</summary>
    public static DeliveryItem MapWithDefaults(ActionDefinition action, string @event, string messageId = "m-1")
    {
        var compilation = CompiledMapping.Compile(action.DefaultMapping().ToJsonString());
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        using var document = JsonDocument.Parse(@event);
        var result = compilation.Mapping.Evaluate(document.RootElement);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return new DeliveryItem(messageId, result.Payload, document.RootElement.Clone());
    }

    public static bool Matches(string trigger, string @event)
    {
        var parsed = Trigger.Parse(trigger);
        Assert.True(parsed.IsValid, $"{trigger}: {parsed.Error}");
        using var document = JsonDocument.Parse(@event);
        return parsed.Trigger.Matches(document.RootElement);
    }

    /// <summary>Every default trigger and preset trigger parses, and every preset names an action of the destination.</summary>
    public static void TriggersParseAndPresetsNameActions(DestinationDefinition definition)
    {
        foreach (var action in definition.Actions.Where(a => a.DefaultTrigger is not null))
        {
            Assert.True(Trigger.Parse(action.DefaultTrigger!).IsValid, $"{action.Id}: {action.DefaultTrigger}");
        }

        foreach (var preset in definition.Presets)
        {
            Assert.True(Trigger.Parse(preset.Trigger).IsValid, $"{preset.Name}: {preset.Trigger}");
            Assert.NotNull(definition.FindAction(preset.ActionId));
        }
    }
}
