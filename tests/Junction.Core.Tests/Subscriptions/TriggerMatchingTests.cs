using System.Text.Json;
using Junction.Subscriptions;
using static Junction.Core.Tests.Subscriptions.TriggerTestHelpers;

namespace Junction.Core.Tests.Subscriptions;

public sealed class TriggerMatchingTests
{
    [Theory]
    [InlineData("properties.plan = \"pro\"", """{"plan":"pro"}""", true)]
    [InlineData("properties.plan = \"pro\"", """{"plan":"Pro"}""", false)]
    [InlineData("properties.plan = \"5\"", """{"plan":5}""", false)]
    [InlineData("properties.plan = \"true\"", """{"plan":true}""", false)]
    [InlineData("properties.plan = \"pro\"", """{}""", false)]
    [InlineData("properties.plan = \"A\"", """{"plan":"\u0041"}""", true)]
    public void EqualsIsTrueOnlyForAStringWithExactlyTheSameText(string trigger, string properties, bool expected) =>
        Assert.Equal(expected, Matches(trigger, WithProperties(properties)));

    [Theory]
    [InlineData("""{"plan":"pro"}""", false)]
    [InlineData("""{"plan":"free"}""", true)]
    [InlineData("""{"plan":5}""", true)]
    [InlineData("""{"plan":null}""", true)]
    [InlineData("""{}""", true)]
    public void NotEqualsIsTrueForAnythingButThatString(string properties, bool expected) =>
        Assert.Equal(expected, Matches("properties.plan != \"pro\"", WithProperties(properties)));

    [Theory]
    [InlineData("properties.n = 5", "5", true)]
    [InlineData("properties.n = 5", "5.0", true)]
    [InlineData("properties.n = 5", "\"5\"", false)]
    [InlineData("properties.n = -0.5", "-0.5", true)]
    [InlineData("properties.n != 5", "4", true)]
    [InlineData("properties.n != 5", "5", false)]
    [InlineData("properties.n != 5", "\"4\"", false)]
    [InlineData("properties.n != 5", "null", false)]
    [InlineData("properties.n < 5", "4.9", true)]
    [InlineData("properties.n < 5", "5", false)]
    [InlineData("properties.n <= 5", "5", true)]
    [InlineData("properties.n <= 5", "5.1", false)]
    [InlineData("properties.n > 5", "6", true)]
    [InlineData("properties.n > 5", "5", false)]
    [InlineData("properties.n >= 5", "5", true)]
    [InlineData("properties.n >= 5", "\"6\"", false)]
    [InlineData("properties.n >= 5", "true", false)]
    [InlineData("properties.n > -1", "1e400", true)]
    public void NumberOperatorsCompareOnlyJsonNumbers(string trigger, string value, bool expected) =>
        Assert.Equal(expected, Matches(trigger, WithProperties($"{{\"n\":{value}}}")));

    [Fact]
    public void NumberOperatorsAreFalseForAMissingField()
    {
        foreach (var op in new[] { "=", "!=", "<", "<=", ">", ">=" })
        {
            Assert.False(Matches($"properties.n {op} 5", """{"properties":{}}"""), op);
        }
    }

    [Theory]
    [InlineData("contains(properties.s, \"ell\")", "\"Hello\"", true)]
    [InlineData("contains(properties.s, \"ELL\")", "\"Hello\"", false)]
    [InlineData("contains(properties.s, \"5\")", "15", false)]
    [InlineData("contains(properties.s, 5)", "\"15\"", true)]
    [InlineData("!contains(properties.s, \"x\")", "\"Hello\"", true)]
    [InlineData("!contains(properties.s, \"ell\")", "\"Hello\"", false)]
    [InlineData("!contains(properties.s, \"x\")", "15", false)]
    [InlineData("!contains(properties.s, \"x\")", "null", false)]
    [InlineData("match(properties.s, \"He*\")", "\"Hello\"", true)]
    [InlineData("match(properties.s, \"he*\")", "\"Hello\"", false)]
    [InlineData("!match(properties.s, \"He*\")", "\"Hello\"", false)]
    [InlineData("!match(properties.s, \"X*\")", "\"Hello\"", true)]
    [InlineData("match(properties.s, \"*llo\")", "\"Hello\"", true)]
    [InlineData("match(properties.s, \"*LLO\")", "\"Hello\"", false)]
    [InlineData("!match(properties.s, \"*llo\")", "\"Hello\"", false)]
    [InlineData("!match(properties.s, \"*x\")", "\"Hello\"", true)]
    [InlineData("!match(properties.s, \"*x\")", "[]", false)]
    [InlineData("match(properties.s, \"*\")", "\"\"", true)]
    [InlineData("match(properties.s, \"*\")", "0", false)]
    [InlineData("contains(properties.s, \"é\")", "\"caf\\u00e9\"", true)]
    [InlineData("contains(properties.s, \"é\")", "\"café\"", true)]
    public void TextOperatorsAreCaseSensitiveAndFalseForNonStrings(string trigger, string value, bool expected) =>
        Assert.Equal(expected, Matches(trigger, WithProperties($"{{\"s\":{value}}}")));

    [Fact]
    public void NegatedTextOperatorsAreFalseForAMissingField()
    {
        Assert.False(Matches("!contains(properties.s, \"x\")", """{"properties":{}}"""));
        Assert.False(Matches("!match(properties.s, \"x*\")", """{"properties":{}}"""));
        Assert.False(Matches("!match(properties.s, \"*x\")", """{"properties":{}}"""));
    }

    [Theory]
    [InlineData("""{"p":1}""", true)]
    [InlineData("""{"p":false}""", true)]
    [InlineData("""{"p":""}""", true)]
    [InlineData("""{"p":null}""", false)]
    [InlineData("""{}""", false)]
    public void ExistsMeansPresentAndNotNull(string properties, bool expected)
    {
        Assert.Equal(expected, Matches("properties.p != null", WithProperties(properties)));
        Assert.Equal(!expected, Matches("properties.p = null", WithProperties(properties)));
    }

    [Theory]
    [InlineData("true", true, false)]
    [InlineData("false", false, true)]
    [InlineData("\"true\"", false, false)]
    [InlineData("1", false, false)]
    [InlineData("null", false, false)]
    public void IsTrueAndIsFalseNeedAJsonBoolean(string value, bool isTrue, bool isFalse)
    {
        Assert.Equal(isTrue, Matches("properties.vip = true", WithProperties($"{{\"vip\":{value}}}")));
        Assert.Equal(isFalse, Matches("properties.vip = false", WithProperties($"{{\"vip\":{value}}}")));
    }

    [Fact]
    public void UserIdSupportsPresenceAndBooleanTests()
    {
        Assert.True(Matches("userId != null", """{"userId":"u1"}"""));
        Assert.False(Matches("userId != null", """{"userId":null}"""));
        Assert.True(Matches("userId = \"u1\"", """{"userId":"u1"}"""));
        Assert.True(Matches("match(userId, \"u*\")", """{"userId":"u1"}"""));
        Assert.True(Matches("userId = true", """{"userId":true}"""));
    }

    [Fact]
    public void ANumberComparedWithUserIdIsComparedAsItsText()
    {
        Assert.Equal(All(Text(TriggerField.UserId, TriggerOperator.EqualTo, "5")), Compile("userId = 5").Tree);
        Assert.True(Matches("userId = 5", """{"userId":"5"}"""));
        Assert.False(Matches("userId = 5", """{"userId":5}"""));
    }

    [Fact]
    public void NameIsThePageOrScreenName()
    {
        Assert.True(Matches("type = \"page\" and name = \"Pricing\"", """{"type":"page","name":"Pricing"}"""));
        Assert.True(Matches("name = null", """{"type":"page"}"""));
    }

    [Fact]
    public void BackslashEscapesLetAPathStepHoldSpacesAndOtherCharacters()
    {
        Assert.True(Matches("properties.product\\ 1.price > 10", """{"properties":{"product 1":{"price":11}}}"""));
        Assert.True(Matches("properties.a\\$b = \"x\"", """{"properties":{"a$b":"x"}}"""));
        Assert.True(Matches("properties.caf\\é = 1", """{"properties":{"café":1}}"""));
    }

    [Fact]
    public void EscapedBracketsIndexArrays()
    {
        const string Event = """{"properties":{"items":[{"sku":"a"},{"sku":"b"}]}}""";

        Assert.True(Matches("properties.items\\[0\\].sku = \"a\"", Event));
        Assert.True(Matches("properties.items\\[1\\].sku = \"b\"", Event));
        Assert.False(Matches("properties.items\\[2\\].sku != null", Event));
        Assert.False(Matches("properties.items\\[01\\].sku != null", Event));
        Assert.True(Matches("contains(properties.items\\[1\\].sku, \"b\")", Event));
    }

    [Fact]
    public void AnIndexOnAnObjectReadsTheMemberWithThatName() =>
        Assert.True(Matches("properties.codes\\[0\\] = \"x\"", """{"properties":{"codes":{"0":"x"}}}"""));

    [Fact]
    public void LengthOfAnArrayOrStringIsAvailableAsInSegmentsLookup()
    {
        Assert.True(Matches("properties.items.length = 2", """{"properties":{"items":[1,2]}}"""));
        Assert.True(Matches("properties.code.length > 3", """{"properties":{"code":"abcd"}}"""));
        Assert.True(Matches("properties.code\\[1\\] = \"b\"", """{"properties":{"code":"abcd"}}"""));
        Assert.True(Matches("properties.length = 7", """{"properties":{"length":7}}"""));
    }

    [Fact]
    public void AFalsyValueHalfwayDownAPathIsTheResultAsInSegmentsLookup()
    {
        // Segment's lookup stops at a falsy step and returns it: properties.a.b is 0 when properties.a is 0.
        Assert.True(Matches("properties.a.b = 0", """{"properties":{"a":0}}"""));
        Assert.True(Matches("properties.a.b != null", """{"properties":{"a":""}}"""));
        Assert.True(Matches("properties.a.b = false", """{"properties":{"a":false}}"""));
        Assert.False(Matches("properties.a.b != null", """{"properties":{"a":null}}"""));
        Assert.False(Matches("properties.a.b != null", """{"properties":{"a":5}}"""));
    }

    [Fact]
    public void AMissingOrNonObjectParentMeansTheFieldIsMissing()
    {
        Assert.True(Matches("context.page.url = null", """{"type":"track"}"""));
        Assert.True(Matches("context.page.url = null", """{"context":{"page":"x"}}"""));
        Assert.False(Matches("properties.total > 1", """{"properties":[5]}"""));
    }

    [Fact]
    public void MatchingNeverThrowsWhateverTheEventLooksLike()
    {
        var trigger = Compile("properties.a\\[0\\].b.length > 1 or contains(event, \"x\") or userId != null");
        foreach (var json in new[] { "null", "[]", "\"track\"", "5", "{}", """{"properties":null,"event":5}""", """{"properties":{"a":[[1]]}}""" })
        {
            using var document = JsonDocument.Parse(json);
            _ = trigger.Matches(document.RootElement);
        }

        Assert.False(trigger.Matches(default));
        using var array = JsonDocument.Parse("""[{"type":"track"}]""");
        Assert.False(Compile("type != \"page\"").Matches(array.RootElement));
    }

    [Fact]
    public void OrGroupsNeedOneChildAndAndGroupsNeedAll()
    {
        const string Trigger = "type = \"track\" and (event = \"A\" or event = \"B\") and properties.total >= 10";

        Assert.True(Matches(Trigger, """{"type":"track","event":"B","properties":{"total":10}}"""));
        Assert.False(Matches(Trigger, """{"type":"track","event":"C","properties":{"total":10}}"""));
        Assert.False(Matches(Trigger, """{"type":"track","event":"A","properties":{"total":9}}"""));
    }

    [Fact]
    public void MatchingCommonTriggersAllocatesNothing()
    {
        var trigger = Compile("type = \"track\" and (event = \"Order Completed\" or contains(context.page.url, \"checkout\")) and properties.total > 10");
        using var document = JsonDocument.Parse("""{"type":"track","event":"Checkout Started","context":{"page":{"url":"https://x/checkout"}},"properties":{"total":12}}""");
        var message = document.RootElement;
        Assert.True(trigger.Matches(message));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            trigger.Matches(message);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string WithProperties(string properties) => "{\"properties\":" + properties + "}";
}
