using System.Text.Json.Nodes;

namespace Junction.Destinations.Framework;

/// <summary>
/// Builders of the mapping directives (docs/destinations/mappings.md) that actions use as their fields' defaults, so
/// a definition reads <c>Default: Path("$.userId")</c> rather than JSON text.
/// </summary>
internal static class Directives
{
    /// <summary>The directive <c>{"@path": path}</c>: the value at a JSONPath of the event.</summary>
    public static JsonObject Path(string path) => new() { ["@path"] = path };

    /// <summary>The directive that reads <paramref name="first"/> when it exists, else <paramref name="fallback"/>.</summary>
    public static JsonObject PathOr(string first, string fallback) =>
        new() { ["@if"] = new JsonObject { ["exists"] = Path(first), ["then"] = Path(first), ["else"] = Path(fallback) } };

    /// <summary>The directive <c>{"@template": template}</c>: text with <c>{{field}}</c> placeholders filled from the event.</summary>
    public static JsonObject Template(string template) => new() { ["@template"] = template };
}
