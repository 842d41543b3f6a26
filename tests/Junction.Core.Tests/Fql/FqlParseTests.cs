using Junction.Fql;

namespace Junction.Core.Tests.Fql;

public sealed class FqlParseTests
{
    [Theory]
    [InlineData("", "The expression is empty; write a condition such as type = 'track', or all.", 1)]
    [InlineData("   ", "The expression is empty; write a condition such as type = 'track', or all.", 1)]
    [InlineData("properties.a =", "Expected a value after \"=\" at column 15.", 15)]
    [InlineData("properties.a = and b", "Expected a value after \"=\" at column 16.", 16)]
    [InlineData("userId = 'x' and", "Expected a value after \"and\" at column 17.", 17)]
    [InlineData("or type = 'track'", "Unexpected \"or\"; expected a field, a value, a function or \"(\" at column 1.", 1)]
    [InlineData("userId = oops\"", "The string that starts at column 14 is not closed; add a closing \".", 14)]
    [InlineData("event = 'Foo", "The string that starts at column 9 is not closed; add a closing '.", 9)]
    [InlineData("event == 'x'", "Use a single \"=\" to compare, at column 8.", 8)]
    [InlineData("event = 'a' event = 'b'", "Unexpected \"event\"; expected \"and\", \"or\" or the end of the expression at column 13.", 13)]
    [InlineData("a = b = c", "Unexpected \"=\"; put a comparison in parentheses to compare its result at column 7.", 7)]
    [InlineData("(type = 'track'", "Expected \")\" to close the \"(\" at column 1, but found the end of the expression at column 16.", 16)]
    [InlineData("type = 'track')", "Unexpected \")\"; expected \"and\", \"or\" or the end of the expression at column 15.", 15)]
    [InlineData("()", "Expected a value after \"(\" at column 2.", 2)]
    [InlineData("foo(event)", "Unknown function \"foo\"; the functions are contains, length, lowercase, uppercase, snakecase, kebabcase, titlecase, typeof, match, bool, string, number at column 1.", 1)]
    [InlineData("properties.contains(event, 'a')", "Unknown function \"properties.contains\"; the functions are contains, length, lowercase, uppercase, snakecase, kebabcase, titlecase, typeof, match, bool, string, number at column 1.", 1)]
    [InlineData("contains(event)", "contains() takes 2 arguments, but was given 1 at column 1.", 1)]
    [InlineData("length(event, userId) > 1", "length() takes 1 argument, but was given 2 at column 1.", 1)]
    [InlineData("contains(event 'a')", "Expected \",\" or \")\" in the call of contains(), but found the string 'a' at column 16.", 16)]
    [InlineData("contains(event,)", "Expected a value after \",\" at column 16.", 16)]
    [InlineData("type in ['a',]", "Unexpected \"]\" in a list; a list holds strings, numbers, true, false or null at column 14.", 14)]
    [InlineData("type in ['a' 'b']", "Expected \",\" or \"]\" in the list that starts at column 9, but found the string 'b' at column 14.", 14)]
    [InlineData("type in [event]", "Unexpected \"event\" in a list; a list holds strings, numbers, true, false or null at column 10.", 10)]
    [InlineData("properties.# = 1", "Expected a field name after \".\" at column 12.", 12)]
    [InlineData("properties. = 1", "Expected a field name after \".\" at column 12.", 12)]
    [InlineData("event = 'a' # 1", "Unexpected character \"#\" at column 13.", 13)]
    [InlineData("properties.a\\", "Expected a character after \"\\\" at column 13.", 13)]
    [InlineData("properties.total > 1.", "Expected a digit after the decimal point at column 22.", 22)]
    [InlineData("properties.total > 12abc", "Unexpected character \"a\" in a number at column 22.", 22)]
    [InlineData("'track'", "The expression gives a string, but a filter needs a condition that is true or false, at column 1.", 1)]
    [InlineData("length(userId)", "The expression gives a number, but a filter needs a condition that is true or false, at column 1.", 1)]
    [InlineData("'a' and true", "\"and\" joins conditions, but 'a' is a string at column 1.", 1)]
    [InlineData("true or 5", "\"or\" joins conditions, but 5 is a number at column 9.", 9)]
    [InlineData("!'a'", "\"!\" negates a condition, but 'a' is a string at column 2.", 2)]
    [InlineData("properties.total > 'ten'", "\">\" compares numbers, but 'ten' is a string at column 20.", 20)]
    [InlineData("'a' in 'abc'", "\"in\" looks in a list such as ['a', 'b'], but the right side is a string at column 8.", 8)]
    [InlineData("['a'] in properties.x", "\"in\" looks for a single value, but the left side is a list at column 1.", 1)]
    [InlineData("length(5) > 1", "length() takes a string or a list, but 5 is a number at column 8.", 8)]
    [InlineData("contains(event, 5)", "contains() takes a string, but 5 is a number at column 17.", 17)]
    [InlineData("number(true) = 1", "number() takes a number or a string, but true is a bool at column 8.", 8)]
    [InlineData("match(event, 'ab[c')", "Invalid pattern 'ab[c': the \"[\" at position 3 of the pattern is not closed at column 14.", 14)]
    [InlineData("match(event, 'ab\\')", "Invalid pattern 'ab\\': the pattern ends with \"\\\"; write \"\\\\\" to match a backslash at column 14.", 14)]
    [InlineData("match(event, '[z-a]')", "Invalid pattern '[z-a]': the range \"z-a\" in the pattern runs backwards at column 14.", 14)]
    [InlineData("match(event, 'a[]')", "Invalid pattern 'a[]': the \"[]\" at position 2 of the pattern lists no characters at column 14.", 14)]
    public void AnInvalidExpressionGivesAClearMessageAndTheColumnWhereItWentWrong(string fql, string message, int column)
    {
        var result = FqlExpression.Parse(fql);

        Assert.False(result.IsSuccess);
        Assert.Equal(message, result.Error.Message);
        Assert.Equal(column, result.Error.Column);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("  all  ")]
    [InlineData("event = 'Button Clicked'")]
    [InlineData("type = 'identify' or type = 'track'")]
    [InlineData("match(context.library.version, '1.*')")]
    [InlineData("'dark-mode' in properties.features")]
    [InlineData("!( type in ['track','identify'] )")]
    [InlineData("type = \"track\"")]
    [InlineData("properties.product\\ 1.price = '19.99'")]
    [InlineData("length( userId ) < 1")]
    [InlineData("properties.total >= -1.5e3")]
    [InlineData("properties.enabled")]
    [InlineData("null")]
    [InlineData("typeof(properties.x) = 'null' and !(bool(properties.y))")]
    [InlineData("contains(lowercase(event), 'click')")]
    [InlineData("properties.a = [1, 'b', true, null]")]
    [InlineData("type\n=\t'track'\r\n")]
    public void AValidExpressionParses(string fql)
    {
        var result = FqlExpression.Parse(fql);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(fql, result.Expression.Text);
    }

    [Fact]
    public void AllAloneMatchesEverythingButAllInsideAnExpressionIsAFieldNamedAll()
    {
        Assert.True(FqlExpression.Parse("all").Expression!.MatchesEverything);
        Assert.False(FqlExpression.Parse("all = true").Expression!.MatchesEverything);
    }

    [Fact]
    public void DeeplyNestedExpressionsAreRefusedRatherThanOverflowingTheStack()
    {
        var fql = new string('(', 200) + "true" + new string(')', 200);

        var result = FqlExpression.Parse(fql);

        Assert.False(result.IsSuccess);
        Assert.Contains("nests more than 64 levels", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongChainOfConditionsIsNotANestingProblem()
    {
        var fql = string.Join(" or ", Enumerable.Range(0, 20_000).Select(i => $"event = 'e{i}' and type = 'track'"));

        var expression = FqlExpression.Parse(fql).Expression!;

        Assert.True(expression.Matches(System.Text.Json.JsonDocument.Parse("""{"type":"track","event":"e19999"}""").RootElement));
    }
}
