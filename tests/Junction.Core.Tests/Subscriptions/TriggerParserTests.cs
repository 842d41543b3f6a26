using Junction.Subscriptions;
using static Junction.Core.Tests.Subscriptions.TriggerTestHelpers;

namespace Junction.Core.Tests.Subscriptions;

public sealed class TriggerParserTests
{
    [Fact]
    public void ACatalogPresetParsesIntoAnAndGroupOfTwoConditions() =>
        Assert.Equal(
            All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Text(TriggerField.Event, TriggerOperator.EqualTo, "Order Completed")),
            Compile("type = \"track\" and event = \"Order Completed\"").Tree);

    [Fact]
    public void ASingleConditionIsWrappedInAnAndGroup() =>
        Assert.Equal(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "identify")), Compile("type = \"identify\"").Tree);

    [Fact]
    public void ARootThatIsOneParenthesisedGroupIsThatGroup() =>
        Assert.Equal(
            Any(Text(TriggerField.Type, TriggerOperator.EqualTo, "page"), Text(TriggerField.Type, TriggerOperator.EqualTo, "screen")),
            Compile("(type = \"page\" or type = \"screen\")").Tree);

    [Fact]
    public void ParenthesesAroundOneConditionAreDropped() =>
        Assert.Equal(
            All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Text(TriggerField.Event, TriggerOperator.EqualTo, "A")),
            Compile("(type = \"track\") and (event = \"A\")").Tree);

    [Theory]
    [InlineData("properties.total = 5", nameof(TriggerOperator.NumberEqualTo))]
    [InlineData("properties.total != 5", nameof(TriggerOperator.NumberNotEqualTo))]
    [InlineData("properties.total < 5", nameof(TriggerOperator.LessThan))]
    [InlineData("properties.total <= 5", nameof(TriggerOperator.LessThanOrEqual))]
    [InlineData("properties.total > 5", nameof(TriggerOperator.GreaterThan))]
    [InlineData("properties.total >= 5", nameof(TriggerOperator.GreaterThanOrEqual))]
    [InlineData("properties.total >= +5", nameof(TriggerOperator.GreaterThanOrEqual))]
    [InlineData("properties.total >= 005.0", nameof(TriggerOperator.GreaterThanOrEqual))]
    public void NumberComparisonsKeepTheirOperator(string trigger, string op) =>
        Assert.Equal(All(Number(TriggerField.Properties, "total", Enum.Parse<TriggerOperator>(op), 5)), Compile(trigger).Tree);

    [Theory]
    [InlineData("traits.plan != null", nameof(TriggerField.Traits), nameof(TriggerOperator.Exists))]
    [InlineData("traits.plan = null", nameof(TriggerField.Traits), nameof(TriggerOperator.NotExists))]
    [InlineData("context.app.beta = true", nameof(TriggerField.Context), nameof(TriggerOperator.IsTrue))]
    [InlineData("context.app.beta = false", nameof(TriggerField.Context), nameof(TriggerOperator.IsFalse))]
    public void NullTrueAndFalseBecomePresenceAndBooleanTests(string trigger, string field, string op)
    {
        var condition = Assert.IsType<TriggerCondition>(Assert.Single(Compile(trigger).Tree.Children));

        Assert.Equal(Enum.Parse<TriggerField>(field), condition.Field);
        Assert.Equal(Enum.Parse<TriggerOperator>(op), condition.Operator);
        Assert.Null(condition.Text);
        Assert.Null(condition.Number);
    }

    [Theory]
    [InlineData("contains(event, \"Order\")", nameof(TriggerOperator.Contains), "Order")]
    [InlineData("!contains(event, \"Order\")", nameof(TriggerOperator.NotContains), "Order")]
    [InlineData("match(event, \"Order*\")", nameof(TriggerOperator.StartsWith), "Order")]
    [InlineData("!match(event, \"Order*\")", nameof(TriggerOperator.NotStartsWith), "Order")]
    [InlineData("match(event, \"*Completed\")", nameof(TriggerOperator.EndsWith), "Completed")]
    [InlineData("!match(event, \"*Completed\")", nameof(TriggerOperator.NotEndsWith), "Completed")]
    [InlineData("match(event,\"*\")", nameof(TriggerOperator.StartsWith), "")]
    [InlineData("contains( event , 12 )", nameof(TriggerOperator.Contains), "12")]
    public void FunctionCallsBecomeTextOperators(string trigger, string op, string text) =>
        Assert.Equal(All(Text(TriggerField.Event, Enum.Parse<TriggerOperator>(op), text)), Compile(trigger).Tree);

    [Fact]
    public void EscapesAreRemovedFromThePathAndBracketsKept()
    {
        Assert.Equal("product 1.price", PathOf("properties.product\\ 1.price != null"));
        Assert.Equal("items[0].sku", PathOf("properties.items\\[0\\].sku != null"));
        Assert.Equal("a.b", PathOf("properties.a\\.b != null"));
        Assert.Equal("0", PathOf("properties\\.0 != null"));
        Assert.Equal("order.total", PathOf("properties . order . total != null"));
        Assert.Equal("android", PathOf("properties.android != null"));
        Assert.Equal("nullable", PathOf("properties.nullable != null"));
        Assert.Equal("and", PathOf("properties\\.and != null"));
    }

    [Fact]
    public void NewlinesAndTabsAreWhitespace() =>
        Assert.Equal(2, Compile("type = \"track\"\n\tand event = \"A\"").Tree.Children.Count);

    [Theory]
    [InlineData("", "empty_trigger", 1)]
    [InlineData("   ", "empty_trigger", 1)]
    [InlineData("event = 'Order Completed'", "single_quotes", 9)]
    [InlineData("match(event, 'Order*')", "single_quotes", 14)]
    [InlineData("type = track", "bare_word", 8)]
    [InlineData("event = Order Completed", "bare_word", 9)]
    [InlineData("properties.total>5", "space_after_name", 17)]
    [InlineData("event !=\"A\"", "space_after_operator", 7)]
    [InlineData("properties.total <=5", "split_operator", 18)]
    [InlineData("event = \"A\"and type = \"track\"", "space_after_string", 11)]
    [InlineData("event = \"a\"\"b\"", "space_after_string", 11)]
    [InlineData("event = \"A\" ! type = \"track\"", "lone_negation", 13)]
    [InlineData("!(event = \"A\")", "bad_negation", 1)]
    [InlineData("type = \"track\" and ((event = \"A\" or event = \"B\") and userId = null)", "nested_group", 21)]
    [InlineData("(event = \"A\" or event = \"B\"", "unclosed_group", 1)]
    [InlineData("event = \"A\")", "unmatched_paren", 12)]
    [InlineData("()", "empty_group", 1)]
    [InlineData("type = \"track\" and", "missing_condition", 16)]
    [InlineData("and type = \"track\"", "missing_condition", 1)]
    [InlineData("type = \"track\" event = \"A\"", "expected_and_or", 16)]
    [InlineData("anonymousId != null", "unknown_field", 1)]
    [InlineData("Type = \"track\"", "unknown_field", 1)]
    [InlineData("contains(type, \"tra\")", "call_on_type", 10)]
    [InlineData("contains(messageId, \"x\")", "unknown_field", 10)]
    [InlineData("contains(event \"x\")", "call_syntax", 16)]
    [InlineData("contains(event, \"x\"", "call_syntax", 20)]
    [InlineData("contains(event, x)", "call_syntax", 17)]
    [InlineData("match(event, 5)", "call_syntax", 14)]
    [InlineData("match(event, \"Order\")", "match_pattern", 14)]
    [InlineData("match(event, \"*Order*\")", "match_pattern", 14)]
    [InlineData("match(event, \"Ord*er*\")", "match_pattern", 14)]
    [InlineData("event.name = \"A\"", "no_subfield", 1)]
    [InlineData("properties = \"A\"", "path_required", 1)]
    [InlineData("properties\\.\\[\\] = \"A\"", "path_required", 1)]
    [InlineData("properties.\\[0\\] = \"A\"", "invalid_character", 12)]
    [InlineData("event = null", "null_text", 9)]
    [InlineData("type != null", "null_text", 9)]
    [InlineData("properties.plan < null", "null_comparison", 19)]
    [InlineData("properties.vip != true", "not_equal_boolean", 19)]
    [InlineData("event = true", "boolean_on_text_field", 1)]
    [InlineData("properties.total > \"5\"", "number_required", 20)]
    [InlineData("properties.total > true", "number_required", 20)]
    [InlineData("event > 5", "number_on_text_field", 1)]
    [InlineData("type = 5", "unknown_event_type", 1)]
    [InlineData("type < 5", "type_operator", 1)]
    [InlineData("properties.total = -", "bad_number", 20)]
    [InlineData("properties.total = 1.", "bad_number", 21)]
    [InlineData("properties.total = 1.2.3", "bad_number", 23)]
    [InlineData("properties.total = 1e5", "expected_and_or", 21)]
    [InlineData("type = \"track\" \r\n", "invalid_character", 16)]
    [InlineData("type = \"track\"\r\n", "space_after_string", 14)]
    [InlineData("properties.price$ = 1", "space_after_name", 17)]
    [InlineData("properties.a\\", "bad_escape", 13)]
    [InlineData("properties.total = ", "expected_value", 20)]
    [InlineData("properties.total \"5\"", "expected_operator", 18)]
    [InlineData("and(type = \"track\")", "space_after_conditional", 1)]
    public void TriggersSegmentReadsSurprisinglyAreRefusedWithTheProblemAndItsColumn(string trigger, string code, int column)
    {
        var error = Refused(trigger);

        Assert.Equal(code, error.Code);
        Assert.Equal(column, error.Column);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.StartsWith($"Column {column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AHugeNumberIsRefused()
    {
        var error = Refused("properties.total > 1" + new string('0', 400));

        Assert.Equal("bad_number", error.Code);
    }

    private static string? PathOf(string trigger) =>
        Assert.IsType<TriggerCondition>(Assert.Single(Compile(trigger).Tree.Children)).Path;
}
