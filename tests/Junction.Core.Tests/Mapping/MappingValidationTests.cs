using Junction.Mapping;
using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class MappingValidationTests
{
    [Fact]
    public void EveryErrorIsReportedWithTheJsonPointerOfThePartAtFault()
    {
        var errors = Errors("""
            {
              "revenue": {"@path": 5},
              "name": {"@template": "ok"},
              "items": [{"id": {"@case": {"operator": "title", "value": "x"}}}],
              "nested": {"deeper": {"@json": {"mode": "encode"}}}
            }
            """);

        Assert.Equal(
            [
                "/revenue/@path: @path takes a string such as \"$.properties.revenue\", or a directive that produces one, but it is a number.",
                "/items/0/id/@case/operator: The operator of @case is \"lower\" or \"upper\", not \"title\".",
                "/nested/deeper/@json: @json needs a \"value\" to encode or decode: a directive or a JSON value other than false, 0, \"\" or null.",
            ],
            errors);
    }

    [Fact]
    public void ADirectiveMixedWithOtherKeysIsRefused()
    {
        Assert.Equal(
            "/v: The directive @path cannot share its object with other keys (foo); put the directive under its own field.",
            Assert.Single(Errors("""{"v": {"@path": "$.a", "foo": 1}}""")));
    }

    [Fact]
    public void TwoDirectivesInOneObjectAreRefused()
    {
        Assert.StartsWith("/v: A directive object holds exactly one directive, but this one has 2 (@path, @template)", Assert.Single(Errors("""{"v": {"@path": "$.a", "@template": "b"}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataNextToADirectiveIsAllowedAndIgnored()
    {
        Assert.Equal("\"u1\"", Field("""{"@path": "$.userId", "_metadata": {"label": "User"}}"""));
    }

    [Fact]
    public void AnUnknownDirectiveIsRefusedWithAHintForWrongCase()
    {
        Assert.Equal("/v/@Path: @Path is not a directive (a directive name is @ followed by a lower-case letter and letters or digits). Did you mean @path? Directive names are case-sensitive.",
            Assert.Single(Errors("""{"v": {"@Path": "$.a"}}""")));
        Assert.StartsWith("/v/@arraypath: @arraypath is not a directive. Did you mean @arrayPath?", Assert.Single(Errors("""{"v": {"@arraypath": ["$.a"]}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void LiquidTemplatesAreRefusedWithAClearMessage()
    {
        Assert.StartsWith("/v/@liquid: Junction does not run Liquid templates.", Assert.Single(Errors("""{"v": {"@liquid": "{{ userId }}"}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMappingMustBeAnObjectOfFields()
    {
        Assert.StartsWith("/: A mapping must be a JSON object", Assert.Single(Errors("""[{"@path": "$.a"}]""")), StringComparison.Ordinal);
        Assert.StartsWith("/: The top level of a mapping holds the payload's fields", Assert.Single(Errors("""{"@path": "$."}""")), StringComparison.Ordinal);
        Assert.StartsWith("/: The mapping is not valid JSON", Assert.Single(Errors("""{"a": """)), StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatedKeyIsRefused()
    {
        Assert.Equal("/a: The key \"a\" appears more than once; write it once.", Assert.Single(Errors("""{"a": 1, "a": 2}""")));
    }

    [Fact]
    public void KeysWithSlashesAndTildesAreEscapedInThePointer()
    {
        Assert.StartsWith("/a~1b/c~0d/@path: ", Assert.Single(Errors("""{"a/b": {"c~d": {"@path": 1}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheRootDirectiveKeyIsOnlyAcceptedAtTheTopLevelAndOnlyForTransform()
    {
        Assert.StartsWith("/a/__segment_internal_directive: ", Assert.Single(Errors("""{"a": {"__segment_internal_directive": {"@transform": {"apply": {}}}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/__segment_internal_directive: The root directive must be an object holding exactly one @transform", Assert.Single(Errors("""{"__segment_internal_directive": {"@merge": {"objects": [], "direction": "right"}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsGivenAsADirectiveAreRefused()
    {
        Assert.StartsWith("/v/@if: @if takes an object of options", Assert.Single(Errors("""{"v": {"@if": {"@path": "$.a"}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void RawValuesArraysAndEmptyMappingsAreValid()
    {
        AssertJson("""{"a": 1, "b": [1, "x", null], "c": {"d": true}, "e": null}""", Map("""{"a": 1, "b": [1, "x", null], "c": {"d": true}, "e": null}"""));
        AssertJson("{}", Map("{}"));
    }

    [Fact]
    public void TheCompiledMappingKeepsItsSourceAfterTheCallerDisposesIt()
    {
        CompiledMapping mapping;
        using (var document = System.Text.Json.JsonDocument.Parse("""{"plan": "free", "id": {"@path": "$.userId"}}"""))
        {
            var compilation = CompiledMapping.Compile(document.RootElement);
            Assert.True(compilation.Succeeded);
            mapping = compilation.Mapping;
        }

        using var @event = System.Text.Json.JsonDocument.Parse(Event);
        AssertJson("""{"plan": "free", "id": "u1"}""", mapping.Evaluate(@event.RootElement).Payload);
    }
}
