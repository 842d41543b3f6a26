using static Junction.Core.Tests.Mapping.MappingKit;

namespace Junction.Core.Tests.Mapping;

public sealed class IfDirectiveTests
{
    private const string UserIdElseAnonymousId =
        """{"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": {"@path": "$.anonymousId"}}}""";

    [Fact]
    public void ExistsChoosesThenWhenTheValueIsPresent()
    {
        Assert.Equal("\"u1\"", Field(UserIdElseAnonymousId));
    }

    [Fact]
    public void ExistsChoosesElseWhenTheValueIsMissingOrNull()
    {
        Assert.Equal("\"anon-1\"", Field(UserIdElseAnonymousId, """{"anonymousId": "anon-1"}"""));
        Assert.Equal("\"anon-1\"", Field(UserIdElseAnonymousId, """{"userId": null, "anonymousId": "anon-1"}"""));
    }

    [Fact]
    public void ExistsHoldsForFalsyValuesOtherThanNull()
    {
        const string Directive = """{"@if": {"exists": {"@path": "$.properties.v"}, "then": "yes", "else": "no"}}""";

        Assert.Equal("\"yes\"", Field(Directive, """{"properties": {"v": 0}}"""));
        Assert.Equal("\"yes\"", Field(Directive, """{"properties": {"v": ""}}"""));
        Assert.Equal("\"yes\"", Field(Directive, """{"properties": {"v": false}}"""));
    }

    [Theory]
    [InlineData("\"\"", "no")]
    [InlineData("0", "no")]
    [InlineData("false", "no")]
    [InlineData("null", "no")]
    [InlineData("[]", "no")]
    [InlineData("[\"\"]", "no")]
    [InlineData("\"0\"", "yes")]
    [InlineData("\" \"", "yes")]
    [InlineData("1", "yes")]
    [InlineData("true", "yes")]
    [InlineData("{}", "yes")]
    [InlineData("[0]", "yes")]
    public void BlankTreatsEmptyTextZeroAndFalseAsBlankAsJavaScriptLooseEqualityDoes(string value, string expected)
    {
        var @event = """{"properties": {"v": """ + value + "}}";

        Assert.Equal($"\"{expected}\"", Field("""{"@if": {"blank": {"@path": "$.properties.v"}, "then": "yes", "else": "no"}}""", @event));
    }

    [Fact]
    public void AMissingBranchLeavesTheFieldOut()
    {
        Assert.Null(Field("""{"@if": {"exists": {"@path": "$.missing"}, "then": true}}"""));
        Assert.Null(Field("""{"@if": {"exists": {"@path": "$.userId"}, "else": true}}"""));
    }

    [Fact]
    public void ThenMayBeAnyValueIncludingFalseAndNull()
    {
        Assert.Equal("false", Field("""{"@if": {"exists": {"@path": "$.userId"}, "then": false}}"""));
        Assert.Equal("null", Field("""{"@if": {"exists": {"@path": "$.userId"}, "then": null}}"""));
    }

    [Fact]
    public void AFalsyElseIsRefusedBecauseSegmentIgnoresIt()
    {
        var errors = Errors("""{"flag": {"@if": {"exists": {"@path": "$.userId"}, "then": true, "else": false}}}""");

        var error = Assert.Single(errors);
        Assert.StartsWith("/flag/@if/else: Segment ignores an \"else\" of false", error, StringComparison.Ordinal);
        Assert.Contains("{\"@literal\": false}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ALiteralElseSendsAFalsyValue()
    {
        Assert.Equal("false", Field("""{"@if": {"exists": {"@path": "$.missing"}, "then": true, "else": {"@literal": false}}}"""));
    }

    [Fact]
    public void AnIfWithoutAConditionIsRefused()
    {
        Assert.StartsWith("/v/@if: @if needs a condition", Assert.Single(Errors("""{"v": {"@if": {"then": 1}}}""")), StringComparison.Ordinal);
        Assert.StartsWith("/v/@if: @if needs a condition", Assert.Single(Errors("""{"v": {"@if": {"exists": null, "then": 1}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void BothConditionsAtOnceAreRefused()
    {
        Assert.StartsWith("/v/@if: @if takes one condition", Assert.Single(Errors("""{"v": {"@if": {"exists": {"@path": "$.a"}, "blank": {"@path": "$.b"}, "then": 1}}}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledBranchIsRefused()
    {
        Assert.Equal(
            "/v/@if/than: \"than\" is not an option of @if; its options are exists, blank, then, else.",
            Assert.Single(Errors("""{"v": {"@if": {"exists": {"@path": "$.a"}, "than": 1}}}""")));
    }

    [Fact]
    public void BranchesMayHoldNestedDirectives()
    {
        const string Directive = """
            {"@if": {"exists": {"@path": "$.traits.email"},
                     "then": {"email": {"@case": {"operator": "lower", "value": {"@path": "$.traits.email"}}}, "source": "traits"},
                     "else": {"source": "none"}}}
            """;

        Assert.Equal(Json("""{"email":"x@y.com","source":"traits"}"""), Field(Directive));
    }
}
