using Junction.Mapping;
using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class PathDirectiveTests
{
    [Fact]
    public void APathReadsTheValueOfAnyJsonType()
    {
        Assert.Equal("12.5", Field("""{"@path": "$.properties.total"}"""));
        Assert.Equal("\"u1\"", Field("""{"@path": "$.userId"}"""));
        Assert.Equal(Json("""[{"id":"a","price":2}]"""), Field("""{"@path": "$.properties.products"}"""));
        Assert.Equal("false", Field("""{"@path": "$.properties.no"}"""));
    }

    [Fact]
    public void AMissingPathLeavesTheFieldOutButANullValueIsKept()
    {
        var payload = Map("""{"gone": {"@path": "$.properties.missing"}, "kept": {"@path": "$.properties.nothing"}}""");

        AssertJson("""{"kept": null}""", payload);
    }

    [Fact]
    public void TheLeadingDollarDotIsOptional()
    {
        Assert.Equal("12.5", Field("""{"@path": "properties.total"}"""));
    }

    [Fact]
    public void DollarDotAloneReadsTheWholeEvent()
    {
        var payload = Map("""{"data": {"@path": "$."}}""");

        AssertJson(Event, payload["data"]);
    }

    [Fact]
    public void ArrayIndexesAndQuotedKeysAreRead()
    {
        Assert.Equal("\"a\"", Field("""{"@path": "$.properties.products[0].id"}"""));
        Assert.Equal("2", Field("""{"@path": "$.properties.products.0.price"}"""));
        Assert.Equal("\"Shirt\"", Field("""{"@path": "$.properties['product name']"}"""));
        Assert.Equal("\"Shirt\"", Field("""{"@path": "$.properties[\"product name\"]"}"""));
    }

    [Fact]
    public void BracketsAroundAnUnquotedWordArePartOfTheKeyName()
    {
        Assert.Equal("1", Field("""{"@path": "$.properties.a[b]"}""", """{"properties": {"a[b]": 1, "a": {"b": 2}}}"""));
    }

    [Fact]
    public void AnIndexPastTheEndOrAKeyOnAnArrayIsMissing()
    {
        Assert.Null(Field("""{"@path": "$.properties.products[3]"}"""));
        Assert.Null(Field("""{"@path": "$.properties.products.id"}"""));
        Assert.Null(Field("""{"@path": "$.properties.products[01]"}"""));
    }

    [Fact]
    public void TheLengthOfAnArrayOrStringCanBeRead()
    {
        Assert.Equal("1", Field("""{"@path": "$.properties.products.length"}"""));
        Assert.Equal("8", Field("""{"@path": "$.properties.tag.length"}"""));
    }

    [Fact]
    public void AFalsyValueOnTheWayIsReturnedInsteadOfDescending()
    {
        // Segment's reader stops at a falsy value: a null parent gives null (kept), 0 gives 0.
        Assert.Equal("null", Field("""{"@path": "$.properties.nothing.deeper"}"""));
        Assert.Equal("0", Field("""{"@path": "$.properties.zero.deeper"}"""));
        Assert.Equal("\"\"", Field("""{"@path": "$.properties.empty.deeper"}"""));
        Assert.Null(Field("""{"@path": "$.properties.missing.deeper"}"""));
    }

    [Fact]
    public void OnlyTheFirstDollarDotIsRemoved()
    {
        Assert.Equal("1", Field("""{"@path": "$.a.$.b"}""", """{"a": {"$": {"b": 1}, "b": 2}}"""));
    }

    [Fact]
    public void APathMayComeFromAnotherDirective()
    {
        Assert.Equal("12.5", Field("""{"@path": {"@template": "properties.{{properties.field}}"}}""", """{"properties": {"field": "total", "total": 12.5}}"""));
    }

    [Fact]
    public void AnInnerDirectiveThatProducesNoStringFailsTheEventWithThePathOfTheDirective()
    {
        using var document = System.Text.Json.JsonDocument.Parse(Event);
        var mapping = Compile("""{"revenue": {"@path": {"@path": "$.properties.total"}}}""");

        var result = mapping.Evaluate(document.RootElement);

        Assert.False(result.Succeeded);
        Assert.Equal("/revenue/@path", result.Failure.Path);
        Assert.Contains("a number", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathsAreSplitOnceWithSegmentsRules()
    {
        Assert.Equal(["a", "b", "0", "c"], MappingPath.ParseDirectivePath("$.a.b[0].c").Keys);
        Assert.Equal(["a", "b c"], MappingPath.ParseDirectivePath("a['b c']").Keys);
        Assert.Equal(["a[b]"], MappingPath.ParseDirectivePath("a[b]").Keys);
        Assert.Empty(MappingPath.ParseDirectivePath("$.").Keys);
        Assert.Empty(MappingPath.ParseDirectivePath("").Keys);
        Assert.Empty(MappingPath.ParseTemplatePath(".").Keys);
        Assert.Equal(["$", "a"], MappingPath.ParseTemplatePath("$.a").Keys);
    }
}
