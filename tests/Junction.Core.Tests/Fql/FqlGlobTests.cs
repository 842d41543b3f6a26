using Junction.Fql;

namespace Junction.Core.Tests.Fql;

public sealed class FqlGlobTests
{
    [Theory]
    // The table of Segment's FQL reference.
    [InlineData("abcd", "a*d", true)]
    [InlineData("", "*", true)]
    [InlineData("abc", "ab", false)]
    [InlineData("abcd", "a??d", true)]
    [InlineData("abcd", "*d", true)]
    [InlineData("ab*d", "ab\\*d", true)]
    [InlineData("abCd", "ab[cC]d", true)]
    [InlineData("abcd", "ab[a-z]d", true)]
    [InlineData("abcd", "ab[A-Z]d", false)]
    // Full-string, case-sensitive.
    [InlineData("abc", "bc", false)]
    [InlineData("abc", "ABC", false)]
    [InlineData("abc", "abc", true)]
    [InlineData("", "", true)]
    [InlineData("a", "", false)]
    [InlineData("", "?", false)]
    // Stars anywhere, repeated, and needing to backtrack.
    [InlineData("abc", "***", true)]
    [InlineData("abc", "a*b*c", true)]
    [InlineData("aXbXc", "a*b*c", true)]
    [InlineData("abcabd", "*abd", true)]
    [InlineData("abcabc", "*abd", false)]
    [InlineData("mississippi", "m*iss*ppi", true)]
    [InlineData("mississippi", "m*iss*ppix", false)]
    [InlineData("Order Completed", "Order *", true)]
    [InlineData("Order", "Order *", false)]
    // Escapes make special characters literal.
    [InlineData("a?c", "a\\?c", true)]
    [InlineData("abc", "a\\?c", false)]
    [InlineData("a[b]", "a\\[b\\]", true)]
    [InlineData("a\\b", "a\\\\b", true)]
    [InlineData("abc", "\\a\\b\\c", true)]
    // Classes: lists, ranges, negation, escapes inside.
    [InlineData("b", "[abc]", true)]
    [InlineData("d", "[abc]", false)]
    [InlineData("5", "[0-9]", true)]
    [InlineData("x", "[a-cx-z]", true)]
    [InlineData("m", "[a-cx-z]", false)]
    [InlineData("d", "[!abc]", true)]
    [InlineData("a", "[!abc]", false)]
    [InlineData("d", "[^abc]", true)]
    [InlineData("]", "[\\]]", true)]
    [InlineData("-", "[a-]", true)]
    [InlineData("*", "[*?]", true)]
    // One ? is one character, even outside the Basic Multilingual Plane.
    [InlineData("a😀b", "a?b", true)]
    [InlineData("ア", "?", true)]
    [InlineData("é", "[à-ÿ]", true)]
    public void GlobPatternsMatchTheWholeStringCaseSensitively(string text, string pattern, bool expected)
    {
        Assert.True(FqlGlob.TryCompile(pattern, out var glob, out var error), error);

        Assert.Equal(expected, glob.IsMatch(text));
    }

    [Theory]
    [InlineData("[abc", "the \"[\" at position 1 of the pattern is not closed")]
    [InlineData("a[]", "the \"[]\" at position 2 of the pattern lists no characters")]
    [InlineData("[z-a]", "the range \"z-a\" in the pattern runs backwards")]
    [InlineData("abc\\", "the pattern ends with \"\\\"; write \"\\\\\" to match a backslash")]
    public void AnInvalidPatternIsRefusedWithAReason(string pattern, string message)
    {
        Assert.False(FqlGlob.TryCompile(pattern, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void ManyStarsDoNotMakeMatchingExponential()
    {
        Assert.True(FqlGlob.TryCompile("*a*a*a*a*a*a*a*a*a*a*b", out var glob, out _));

        Assert.False(glob.IsMatch(new string('a', 10_000)));
    }

    [Fact]
    public void APatternReadFromTheEventIsCompiledWhenEvaluated()
    {
        var expression = FqlExpression.Parse("match(event, properties.pattern)").Expression!;

        Assert.True(expression.Matches(System.Text.Json.JsonDocument.Parse("""{"event":"Signup","properties":{"pattern":"Sign*"}}""").RootElement));
        var invalid = expression.Evaluate(System.Text.Json.JsonDocument.Parse("""{"event":"Signup","properties":{"pattern":"[x"}}""").RootElement);
        Assert.Equal(FqlOutcome.Error, invalid.Outcome);
    }
}
