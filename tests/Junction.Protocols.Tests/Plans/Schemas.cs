using System.Text.Json;
using Junction.Protocols.Plans;
using Junction.Protocols.Plans.Schema;

namespace Junction.Protocols.Tests.Plans;

/// <summary>Compiles schemas and validates values written as JSON text, for the validator's tests.</summary>
internal static class Schemas
{
    public static SchemaNode Compile(string schema) => SchemaCompiler.Compile(Parse(schema));

    public static Violation[] Validate(string schema, string instance) => Compile(schema).Violations(Parse(instance));

    public static bool IsValid(string schema, string instance) => Compile(schema).IsValid(Parse(instance));

    /// <summary>The one violation of <paramref name="instance"/>; fails when there is not exactly one.</summary>
    public static Violation Single(string schema, string instance) => Assert.Single(Validate(schema, instance));

    /// <summary>The problem the compiler reports for <paramref name="schema"/>; fails when it compiles.</summary>
    public static string Problem(string schema) => Assert.Throws<SchemaProblemException>(() => Compile(schema)).Message;

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
