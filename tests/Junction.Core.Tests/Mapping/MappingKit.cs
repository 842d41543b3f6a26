using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Mapping;

namespace Junction.Core.Tests.Mapping;

/// <summary>Helpers shared by the mapping tests: compile, evaluate, and compare JSON text.</summary>
internal static class MappingKit
{
    /// <summary>The example event of the reference (Part B), with a few more fields.</summary>
    public const string Event = """
        {
          "type": "track",
          "event": "Order Completed",
          "userId": "u1",
          "anonymousId": "anon-1",
          "messageId": "m-123",
          "timestamp": "2024-05-01T10:00:00.000Z",
          "properties": {
            "total": 12.5,
            "products": [{"id": "a", "price": 2}],
            "tag": "Big-Sale",
            "zero": 0,
            "empty": "",
            "no": false,
            "nothing": null,
            "product name": "Shirt"
          },
          "traits": {"email": "X@Y.com", "name": "Ada"},
          "context": {"ip": "1.2.3.4"}
        }
        """;

    public static CompiledMapping Compile(string mapping)
    {
        var compilation = CompiledMapping.Compile(mapping);
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Errors));
        return compilation.Mapping;
    }

    public static JsonObject Map(string mapping, string @event = Event)
    {
        using var document = JsonDocument.Parse(@event);
        var result = Compile(mapping).Evaluate(document.RootElement);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Payload;
    }

    /// <summary>Maps <c>{"v": directive}</c> and returns the JSON text of <c>v</c>, or null when it was left out.</summary>
    public static string? Field(string directive, string @event = Event)
    {
        var payload = Map($$"""{"v": {{directive}}}""", @event);
        return payload.TryGetPropertyValue("v", out var value) ? Text(value) : null;
    }

    /// <summary>Maps <c>{"v": directive}</c> and returns <c>v</c>, which must be a string.</summary>
    public static string StringField(string directive, string @event = Event) =>
        Map($$"""{"v": {{directive}}}""", @event)["v"]!.GetValue<string>();

    public static IReadOnlyList<string> Errors(string mapping)
    {
        var compilation = CompiledMapping.Compile(mapping);
        Assert.False(compilation.Succeeded, "The mapping was expected to be refused.");
        return [.. compilation.Errors.Select(error => error.ToString())];
    }

    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>The JSON text written without spaces, to compare with a payload's text.</summary>
    public static string Json(string json) => Text(JsonNode.Parse(json));

    public static void AssertJson(string expected, JsonNode? actual) => Assert.Equal(Json(expected), Text(actual));
}
