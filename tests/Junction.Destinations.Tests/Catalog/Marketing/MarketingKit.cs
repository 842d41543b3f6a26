using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.Mapping;
using Junction.Subscriptions;
using Junction.Testing;

namespace Junction.Destinations.Tests.Catalog.Marketing;

/// <summary>What the marketing destinations' tests share: contexts aimed at a fake, hand-built items, JSON checks.</summary>
internal static class MarketingKit
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static SendContext Context(FakeApi api, string settings) => Context(api.BaseUrl, settings);

    public static SendContext Context(string baseUrl, string settings) =>
        new(Http, JsonNode.Parse(settings)!.AsObject(), baseUrl, TimeProvider.System);

    /// <summary>A mapped payload written by hand, as the mapping engine would hand it over.</summary>
    public static DeliveryItem Item(string payload, string messageId = "m-1") =>
        new(messageId, JsonNode.Parse(payload)!.AsObject(), JsonDocument.Parse("{}").RootElement.Clone());

    public static ActionBatch Batch(DestinationDefinition definition, string actionId, params DeliveryItem[] items) =>
        new(definition.FindAction(actionId) ?? throw new ArgumentException($"No action {actionId}.", nameof(actionId)), items);

    public static void SameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}but got {actual}");

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
