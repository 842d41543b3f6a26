using System.Text.Json;
using Junction.Fql;

namespace Junction.Core.Tests.Fql;

public sealed class FqlEvaluationTests
{
    // The example event of Segment's FQL reference.
    private const string Example = """
        {"event":"Button Clicked","type":"track",
         "context":{"library":{"name":"analytics.js","version":"1.0"}},
         "properties":{"features":["discounts","dark-mode"]}}
        """;

    private const string Rich = """
        {"type":"track","event":"Order Completed","userId":"u1","anonymousId":null,
         "properties":{"total":150,"price":"19.99","count":0,"vip":true,"off":false,"name":"Mixed Case",
           "empty":"","tags":["a","b"],"nums":[1,2.5],"nested":{"k":"v"},"product 1":{"price":"19.99"},
           "dotted.key":"yes","products":[{"sku":"s1"},{"sku":"s2"}],"japanese":"ア","escaped":"caf\u00e9",
           "both":"it's \"quoted\""},
         "traits":{"email":"a@company.com"}}
        """;

    [Theory]
    [InlineData("event = 'Button Clicked'", true)]
    [InlineData("event = 'Screen Tapped'", false)]
    [InlineData("context.path.path = '/login'", false)]
    [InlineData("type = 'identify' or type = 'track'", true)]
    [InlineData("event = 'Button Clicked' and type = 'track'", true)]
    [InlineData("match( context.library.version, '1.*' )", true)]
    [InlineData("match( context.library.version, '2.*' )", false)]
    [InlineData("type = 'track' and ( event = 'Click' or match( event, 'Button *' ) )", true)]
    [InlineData("!contains( context.library.name, 'js' )", false)]
    [InlineData("'dark-mode' in properties.features", true)]
    [InlineData("'blink' in properties.features", false)]
    [InlineData("!( type in ['track','identify'] )", false)]
    public void TheExamplesOfTheReferenceEvaluateAsDocumented(string fql, bool expected) =>
        Assert.Equal(expected ? FqlOutcome.Match : FqlOutcome.NoMatch, Evaluate(fql, Example).Outcome);

    [Theory]
    // Equality is strict: the kinds must agree.
    [InlineData("properties.total = 150", "match")]
    [InlineData("properties.total = 150.0", "match")]
    [InlineData("properties.total = '150'", "no")]
    [InlineData("properties.price = 19.99", "no")]
    [InlineData("properties.price = '19.99'", "match")]
    [InlineData("properties.vip = true", "match")]
    [InlineData("properties.vip = 'true'", "no")]
    [InlineData("properties.missing = null", "match")]
    [InlineData("anonymousId = null", "match")]
    [InlineData("userId = null", "no")]
    [InlineData("properties.missing != null", "no")]
    [InlineData("userId != null", "match")]
    [InlineData("properties.total != '150'", "match")]
    [InlineData("properties.tags = ['a', 'b']", "match")]
    [InlineData("properties.tags = ['b', 'a']", "no")]
    [InlineData("properties.nums = [1, 2.5]", "match")]
    [InlineData("properties.tags = properties.tags", "match")]
    [InlineData("properties.nested = properties.nested", "match")]
    [InlineData("properties.price = properties.product\\ 1.price", "match")]
    [InlineData("type = 'Track'", "no")]
    [InlineData("properties.escaped = 'café'", "match")]
    // Ordering compares numbers; null is never greater or smaller; other kinds are mistakes.
    [InlineData("properties.total > 100", "match")]
    [InlineData("properties.total > 150", "no")]
    [InlineData("properties.total >= 150", "match")]
    [InlineData("properties.total < 150", "no")]
    [InlineData("properties.total <= 150", "match")]
    [InlineData("properties.count < 1", "match")]
    [InlineData("-1 < properties.count", "match")]
    [InlineData("properties.missing > 1", "no")]
    [InlineData("properties.missing < 1", "no")]
    [InlineData("properties.price > 1", "error")]
    [InlineData("properties.tags > 1", "error")]
    // in: a single value in a list.
    [InlineData("type in ['track', 'identify']", "match")]
    [InlineData("type in ['page']", "no")]
    [InlineData("properties.total in [150, 200]", "match")]
    [InlineData("properties.total in ['150']", "no")]
    [InlineData("properties.missing in [null]", "match")]
    [InlineData("2.5 in properties.nums", "match")]
    [InlineData("'a' in properties.missing", "no")]
    [InlineData("'a' in properties.name", "error")]
    [InlineData("properties.tags in ['a']", "error")]
    [InlineData("type in []", "no")]
    // and, or, !: null counts as false, anything else is an error unless the left side already decides.
    [InlineData("properties.vip and type = 'track'", "match")]
    [InlineData("properties.off or properties.vip", "match")]
    [InlineData("properties.missing or properties.vip", "match")]
    [InlineData("properties.missing and true", "no")]
    [InlineData("properties.missing or false", "no")]
    [InlineData("!properties.missing", "match")]
    [InlineData("!properties.vip", "no")]
    [InlineData("!!properties.vip", "match")]
    [InlineData("properties.name and true", "error")]
    [InlineData("true and properties.name", "error")]
    [InlineData("!properties.name", "error")]
    [InlineData("false and properties.name", "no")]
    [InlineData("true or properties.name", "match")]
    [InlineData("typeof(properties.price) = 'number' and properties.price > 10", "no")]
    [InlineData("properties.name", "error")]
    [InlineData("null", "no")]
    [InlineData("true", "match")]
    public void OperatorsFollowTheTypingRules(string fql, string expected) =>
        Assert.Equal(Outcome(expected), Evaluate(fql, Rich).Outcome);

    [Theory]
    // ! binds tighter than comparison, comparison tighter than and, and tighter than or.
    [InlineData("true or false and false", "match")]
    [InlineData("(true or false) and false", "no")]
    [InlineData("false and false or true", "match")]
    [InlineData("false and (false or true)", "no")]
    [InlineData("!properties.off = true", "match")]
    [InlineData("!(properties.vip = false)", "match")]
    [InlineData("type = 'track' and event = 'Order Completed' or type = 'page'", "match")]
    [InlineData("type = 'page' and event = 'x' or event = 'Order Completed'", "match")]
    [InlineData("type = 'page' and (event = 'x' or event = 'Order Completed')", "no")]
    [InlineData("!(type = 'page') and !contains(event, 'Refund')", "match")]
    [InlineData("((((type = 'track'))))", "match")]
    public void PrecedenceIsNotThenComparisonThenAndThenOr(string fql, string expected) =>
        Assert.Equal(Outcome(expected), Evaluate(fql, Rich).Outcome);

    [Theory]
    [InlineData("properties.product\\ 1.price = '19.99'", "match")]
    [InlineData("properties.dotted\\.key = 'yes'", "match")]
    [InlineData("properties.dotted.key = 'yes'", "no")]
    [InlineData("properties.products.1.sku = 's2'", "match")]
    [InlineData("properties.products.2.sku = null", "match")]
    [InlineData("properties.tags.0 = 'a'", "match")]
    [InlineData("properties.name.first = null", "match")]
    [InlineData("traits.email = 'a@company.com'", "match")]
    [InlineData("\\type = 'track'", "match")]
    [InlineData("properties.\\null = null", "match")]
    public void FieldPathsFollowKeysEscapesAndArrayIndexes(string fql, string expected) =>
        Assert.Equal(Outcome(expected), Evaluate(fql, Rich).Outcome);

    [Fact]
    public void StringsHaveNoEscapesSoTheOtherQuoteHoldsAQuote()
    {
        var json = """{"properties":{"a":"it's","b":"say \"hi\""}}""";

        Assert.Equal(FqlOutcome.Match, Evaluate("properties.a = \"it's\"", json).Outcome);
        Assert.Equal(FqlOutcome.Match, Evaluate("properties.b = 'say \"hi\"'", json).Outcome);
        Assert.Equal(FqlOutcome.Match, Evaluate("match(properties.a, \"it'?\")", json).Outcome);
    }

    [Theory]
    [InlineData("contains(event, 'Order')", "match")]
    [InlineData("contains(event, 'order')", "no")]
    [InlineData("contains(event, '')", "match")]
    [InlineData("contains(properties.missing, 'x')", "no")]
    [InlineData("contains(event, properties.missing)", "no")]
    [InlineData("contains(properties.total, '1')", "error")]
    [InlineData("contains(properties.escaped, 'fé')", "match")]
    [InlineData("contains(event, properties.name)", "no")]
    [InlineData("length(userId) = 2", "match")]
    [InlineData("length(properties.japanese) = 3", "match")]
    [InlineData("length(properties.escaped) = 5", "match")]
    [InlineData("length(properties.empty) = 0", "match")]
    [InlineData("length(properties.missing) = 0", "match")]
    [InlineData("length(properties.tags) = 2", "match")]
    [InlineData("length(['x', 'y', 'z']) = 3", "match")]
    [InlineData("length('ア') = 3", "match")]
    [InlineData("length(properties.total) = 3", "error")]
    [InlineData("length(properties.nested) = 1", "error")]
    [InlineData("lowercase(properties.name) = 'mixed case'", "match")]
    [InlineData("lowercase(properties.missing) = null", "match")]
    [InlineData("lowercase(properties.total) = '150'", "error")]
    [InlineData("uppercase(properties.name) = 'MIXED CASE'", "match")]
    [InlineData("uppercase(properties.missing) = null", "match")]
    [InlineData("snakecase(event) = 'order_completed'", "match")]
    [InlineData("snakecase('orderCompleted') = 'order_completed'", "match")]
    [InlineData("snakecase('HTMLPage loaded-now') = 'html_page_loaded_now'", "match")]
    [InlineData("snakecase('test string') = 'test_string'", "match")]
    [InlineData("snakecase(properties.missing) = null", "match")]
    [InlineData("kebabcase(event) = 'order-completed'", "match")]
    [InlineData("kebabcase('test string') = 'test-string'", "match")]
    [InlineData("kebabcase('  Sign_Up  Clicked ') = 'sign-up-clicked'", "match")]
    [InlineData("titlecase('test string') = 'Test String'", "match")]
    [InlineData("titlecase('hello wORLD') = 'Hello WORLD'", "match")]
    [InlineData("titlecase(properties.missing) = null", "match")]
    [InlineData("typeof(userId) = 'string'", "match")]
    [InlineData("typeof(properties.total) = 'number'", "match")]
    [InlineData("typeof(properties.tags) = 'list'", "match")]
    [InlineData("typeof(properties.vip) = 'bool'", "match")]
    [InlineData("typeof(properties.missing) = 'null'", "match")]
    [InlineData("typeof(anonymousId) = 'null'", "match")]
    [InlineData("typeof(properties.nested) = 'object'", "match")]
    [InlineData("typeof(null) = 'null'", "match")]
    [InlineData("match(event, 'Order *')", "match")]
    [InlineData("match(event, 'order *')", "no")]
    [InlineData("match(properties.missing, '*')", "no")]
    [InlineData("match(event, properties.missing)", "no")]
    [InlineData("match(properties.total, '*')", "error")]
    [InlineData("match(traits.email, '*@company.com')", "match")]
    [InlineData("match(event, properties.name)", "no")]
    [InlineData("bool(properties.vip)", "match")]
    [InlineData("bool(properties.missing)", "no")]
    [InlineData("bool(properties.total)", "match")]
    [InlineData("bool(properties.count)", "no")]
    [InlineData("bool(properties.name)", "match")]
    [InlineData("bool(properties.empty)", "no")]
    [InlineData("bool('false')", "no")]
    [InlineData("bool('FALSE')", "no")]
    [InlineData("bool('0')", "no")]
    [InlineData("bool(properties.tags)", "match")]
    [InlineData("bool([])", "no")]
    [InlineData("string(properties.total) = '150'", "match")]
    [InlineData("string(properties.nums) = '[1,2.5]'", "match")]
    [InlineData("string(properties.vip) = 'true'", "match")]
    [InlineData("string(properties.missing) = 'null'", "match")]
    [InlineData("string(properties.name) = 'Mixed Case'", "match")]
    [InlineData("string(['a', 1]) = '[\"a\",1]'", "match")]
    [InlineData("string(properties.nested) = '{\"k\":\"v\"}'", "match")]
    [InlineData("number(properties.price) = 19.99", "match")]
    [InlineData("number(properties.price) > 19", "match")]
    [InlineData("number(properties.total) = 150", "match")]
    [InlineData("number(properties.missing) = null", "match")]
    [InlineData("number(properties.name) = 1", "error")]
    [InlineData("number(properties.vip) = 1", "error")]
    [InlineData("number('1e3') = 1000", "match")]
    public void FunctionsFollowTheReferenceIncludingNullHandling(string fql, string expected) =>
        Assert.Equal(Outcome(expected), Evaluate(fql, Rich).Outcome);

    [Fact]
    public void AnEvaluationErrorSaysWhatWentWrong()
    {
        var evaluation = Evaluate("properties.price > 1", Rich);

        Assert.Equal(FqlOutcome.Error, evaluation.Outcome);
        Assert.Equal("\">\" compares numbers, but properties.price is a string.", evaluation.Error);
    }

    [Fact]
    public void MatchesTreatsAnEvaluationErrorAsNoMatch()
    {
        var expression = FqlExpression.Parse("properties.name and true").Expression!;

        Assert.False(expression.Matches(Parse(Rich)));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"properties":"not an object","context":[1,2]}""")]
    [InlineData("""{"properties":{"total":1e400,"s":"\ud800"}}""")]
    public void EvaluationDoesNotThrowForAnyEventShape(string json)
    {
        string[] expressions =
        [
            "properties.total > 1", "contains(properties.s, 'a')", "length(properties.s) > 0", "properties.s = 'x'",
            "match(properties.s, '*')", "type = 'track'", "lowercase(properties) = null", "'a' in context",
            "string(properties) = ''", "number(properties.s) = 1", "bool(properties)",
        ];
        var element = Parse(json);
        foreach (var fql in expressions)
        {
            var evaluation = FqlExpression.Parse(fql).Expression!.Evaluate(element);
            Assert.True(Enum.IsDefined(evaluation.Outcome), fql);
        }
    }

    [Fact]
    public void ACompiledExpressionCanBeEvaluatedFromManyThreads()
    {
        var expression = FqlExpression.Parse("match(event, 'Order *') and properties.total > 100").Expression!;
        var matching = Parse(Rich);
        var other = Parse(Example);

        Parallel.For(0, 10_000, i =>
        {
            Assert.Equal(i % 2 == 0, expression.Matches(i % 2 == 0 ? matching : other));
        });
    }

    [Fact]
    public void ComparingAFieldWithALiteralDoesNotAllocate()
    {
        var expression = FqlExpression.Parse(
            "type = 'track' and properties.total > 100 and 'a' in properties.tags and contains(event, 'Order') and match(event, 'Order *') and length(userId) > 0").Expression!;
        var element = Parse(Rich);
        Assert.True(expression.Matches(element));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            expression.Matches(element);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static FqlEvaluation Evaluate(string fql, string json)
    {
        var parsed = FqlExpression.Parse(fql);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        return parsed.Expression.Evaluate(Parse(json));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static FqlOutcome Outcome(string expected) => expected switch
    {
        "match" => FqlOutcome.Match,
        "no" => FqlOutcome.NoMatch,
        _ => FqlOutcome.Error,
    };
}
