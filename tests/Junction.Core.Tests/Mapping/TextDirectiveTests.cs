using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class TextDirectiveTests
{
    [Fact]
    public void CaseLowersOrUppersAString()
    {
        Assert.Equal("\"x@y.com\"", Field("""{"@case": {"operator": "lower", "value": {"@path": "$.traits.email"}}}"""));
        Assert.Equal("\"X@Y.COM\"", Field("""{"@case": {"operator": "upper", "value": {"@path": "$.traits.email"}}}"""));
        Assert.Equal("\"ABC\"", Field("""{"@case": {"operator": "upper", "value": "abc"}}"""));
    }

    [Fact]
    public void CaseReturnsOtherValuesUnchangedAndLeavesMissingOnesOut()
    {
        Assert.Equal("12.5", Field("""{"@case": {"operator": "lower", "value": {"@path": "$.properties.total"}}}"""));
        Assert.Null(Field("""{"@case": {"operator": "lower", "value": {"@path": "$.missing"}}}"""));
        Assert.Null(Field("""{"@case": {"operator": "lower"}}"""));
        Assert.Null(Field("""{"@case": {"operator": "lower", "value": ""}}"""));
    }

    [Fact]
    public void CaseRefusesAnUnknownOrMissingOperator()
    {
        Assert.StartsWith("/v/@case/operator: The operator of @case is \"lower\" or \"upper\"", Assert.Single(Errors("""{"v": {"@case": {"operator": "title", "value": "x"}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@case: @case needs an \"operator\"", Assert.Single(Errors("""{"v": {"@case": {"value": "x"}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceSwapsEveryOccurrenceOfALiteralPattern()
    {
        Assert.Equal("\"Big Sale\"", Field("""{"@replace": {"value": {"@path": "$.properties.tag"}, "pattern": "-", "replacement": " "}}"""));
        Assert.Equal("\"a_b_c\"", Field("""{"@replace": {"value": "a.b.c", "pattern": ".", "replacement": "_"}}"""));
    }

    [Fact]
    public void ReplaceTreatsRegularExpressionCharactersLiterally()
    {
        Assert.Equal("\"price\"", Field("""{"@replace": {"value": "price(USD)", "pattern": "(USD)"}}"""));
        Assert.Equal("a+b", StringField("""{"@replace": {"value": "a.*b", "pattern": ".*", "replacement": "+"}}"""));
    }

    [Fact]
    public void ReplaceDefaultsToCaseSensitiveAndGlobal()
    {
        Assert.Equal("\"xAx\"", Field("""{"@replace": {"value": "aAa", "pattern": "a", "replacement": "x"}}"""));
        Assert.Equal("\"xxx\"", Field("""{"@replace": {"value": "aAa", "pattern": "a", "replacement": "x", "ignorecase": true}}"""));
        Assert.Equal("\"xAa\"", Field("""{"@replace": {"value": "aAa", "pattern": "a", "replacement": "x", "global": false}}"""));
    }

    [Fact]
    public void ReplaceAppliesASecondPatternToTheFirstResult()
    {
        Assert.Equal("\"a_b_c\"", Field("""{"@replace": {"value": "a-b c", "pattern": "-", "replacement": "_", "pattern2": " ", "replacement2": "_"}}"""));
        Assert.Equal("\"abc\"", Field("""{"@replace": {"value": "a-b c", "pattern": "-", "pattern2": " "}}"""));
    }

    [Fact]
    public void ReplaceTurnsNumbersAndBooleansIntoText()
    {
        Assert.Equal("\"12,5\"", Field("""{"@replace": {"value": {"@path": "$.properties.total"}, "pattern": ".", "replacement": ","}}"""));
        Assert.Equal("\"yes\"", Field("""{"@replace": {"value": {"@path": "$.properties.v"}, "pattern": "true", "replacement": "yes"}}""", """{"properties": {"v": true}}"""));
    }

    [Fact]
    public void ReplaceGivesEmptyTextForAMissingValueAndNothingForAnEmptyLiteral()
    {
        Assert.Equal("\"\"", Field("""{"@replace": {"value": {"@path": "$.missing"}, "pattern": "a"}}"""));
        Assert.Equal("\"\"", Field("""{"@replace": {"value": {"@path": "$.properties"}, "pattern": "a"}}"""));
        Assert.Null(Field("""{"@replace": {"value": "", "pattern": "a"}}"""));
    }

    [Fact]
    public void ReplaceUnderstandsJavaScriptReplacementPatterns()
    {
        Assert.Equal("\"[b]\"", Field("""{"@replace": {"value": "b", "pattern": "b", "replacement": "[$&]"}}"""));
        Assert.Equal("\"$1\"", Field("""{"@replace": {"value": "b", "pattern": "b", "replacement": "$$1"}}"""));
        Assert.Equal("\"$\"", Field("""{"@replace": {"value": "b", "pattern": "b", "replacement": "$"}}"""));
    }

    [Fact]
    public void ReplaceRefusesPatternsLongerThanTenCharactersAndMissingPatterns()
    {
        Assert.StartsWith(
            "/v/@replace/pattern: The \"pattern\" of @replace is a string of 1 to 10 characters",
            Assert.Single(Errors("""{"v": {"@replace": {"value": "x", "pattern": "12345678901"}}}""")),
            StringComparison.Ordinal);
        Assert.StartsWith("/v/@replace/replacement: ", Assert.Single(Errors("""{"v": {"@replace": {"value": "x", "pattern": "a", "replacement": "12345678901"}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@replace: @replace needs a \"pattern\"", Assert.Single(Errors("""{"v": {"@replace": {"value": "x"}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@replace/pattern: ", Assert.Single(Errors("""{"v": {"@replace": {"value": "x", "pattern": ""}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceRefusesFlagsThatAreNotBooleansAndValuesThatAreNotTextOrDirectives()
    {
        Assert.Equal("/v/@replace/global: \"global\" is true or false, but it is a string.", Assert.Single(Errors("""{"v": {"@replace": {"value": "x", "pattern": "a", "global": "yes"}}}""")));
        Assert.StartsWith("/v/@replace/value: The \"value\" of @replace is a string or a directive", Assert.Single(Errors("""{"v": {"@replace": {"value": 5, "pattern": "a"}}}""")), StringComparison.Ordinal);
    }
}
