using Junction.Subscriptions;
using static Junction.Core.Tests.Subscriptions.TriggerTestHelpers;

namespace Junction.Core.Tests.Subscriptions;

public sealed class TriggerWriterTests
{
    private const TriggerField P = TriggerField.Properties;

    /// <summary>Each operator on each kind of field, in the forms Segment's condition builder writes.</summary>
    public static TheoryData<string> GeneratorForms =>
    [
        "type = \"track\"",
        "type != \"identify\"",
        "event = \"Order Completed\"",
        "event != \"Order Completed\"",
        "name = \"Home\"",
        "name != null",
        "name = null",
        "userId = \"u1\"",
        "userId != null",
        "userId = null",
        "userId = true",
        "userId = false",
        "properties.total > 100",
        "properties.total >= 100",
        "properties.total < 100.5",
        "properties.total <= -3",
        "properties.total = 5",
        "properties.total != 5",
        "properties.plan = \"pro\"",
        "properties.plan != \"pro\"",
        "properties.plan != null",
        "properties.plan = null",
        "properties.vip = true",
        "properties.vip = false",
        "traits.email != null",
        "context.page.url = \"https://example.com/\"",
        "contains(properties.sku, \"abc\")",
        "!contains(properties.sku, \"abc\")",
        "match(event, \"Order*\")",
        "!match(event, \"Order*\")",
        "match(event, \"*Completed\")",
        "!match(event, \"*Completed\")",
        "contains(context.page.url, \"checkout\")",
        "match(userId, \"test-*\")",
        "match(name, \"*Settings\")",
        "properties.product\\ 1.price > 10",
        "properties.items\\[0\\].sku = \"a\"",
        "type = \"track\" and event = \"Order Completed\"",
        "type = \"track\" or type = \"page\"",
        "type = \"track\" and (event = \"A\" or event = \"B\")",
        "(event = \"A\" or event = \"B\") and (properties.total > 10 or contains(event, \"C\"))",
        "type = \"identify\" or (type = \"track\" and event = \"Signed Up\")",
    ];

    [Theory]
    [MemberData(nameof(GeneratorForms))]
    public void TheGeneratorWritesTheTextItWasParsedFrom(string text)
    {
        var tree = Compile(text).Tree;
        var written = Trigger.FromTree(tree);

        Assert.True(written.IsValid, written.Error?.ToString());
        Assert.Equal(text, written.Trigger.Text);
        Assert.Equal(tree, Compile(written.Trigger.Text).Tree);
    }

    public static TheoryData<TriggerGroupData> CanonicalTrees =>
    [
        D(All(Text(TriggerField.Event, TriggerOperator.EqualTo, "Say \"hi\"".Replace("\"", "'", StringComparison.Ordinal)))),
        D(All(Text(TriggerField.Event, TriggerOperator.EqualTo, "a\\b (c), d = 'e' and f"))),
        D(All(Text(TriggerField.Event, TriggerOperator.Contains, "\n\t"))),
        D(All(Text(TriggerField.Event, TriggerOperator.StartsWith, ""))),
        D(All(Text(TriggerField.Event, TriggerOperator.EndsWith, "?[x]"))),
        D(All(Test(P, "product 1.price", TriggerOperator.Exists))),
        D(All(Test(P, "items[0].sku", TriggerOperator.Exists))),
        D(All(Test(P, "0", TriggerOperator.Exists))),
        D(All(Test(P, "a.-b.$c.d e", TriggerOperator.Exists))),
        D(All(Test(P, "and", TriggerOperator.IsTrue))),
        D(All(Test(P, "x.or.null", TriggerOperator.IsFalse))),
        D(All(Test(P, "a..b", TriggerOperator.NotExists))),
        D(All(Test(P, "a.", TriggerOperator.NotExists))),
        D(All(Test(P, "café.über", TriggerOperator.NotExists))),
        D(All(Test(P, "emoji😀", TriggerOperator.NotExists))),
        D(All(Text(TriggerField.Context, TriggerOperator.NotEqualTo, "x", "a b\\c"))),
        D(All(Number(P, "n", TriggerOperator.NumberEqualTo, 1e21))),
        D(All(Number(P, "n", TriggerOperator.LessThan, 1e-7))),
        D(All(Number(P, "n", TriggerOperator.GreaterThan, -123.456))),
        D(All(Number(P, "n", TriggerOperator.NumberNotEqualTo, 0.1 + 0.2))),
        D(All(Number(P, "n", TriggerOperator.GreaterThanOrEqual, double.MaxValue))),
        D(All(Number(P, "n", TriggerOperator.LessThanOrEqual, double.Epsilon))),
        D(Any(
            All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Text(TriggerField.Event, TriggerOperator.NotContains, "Test")),
            All(Text(TriggerField.Type, TriggerOperator.EqualTo, "page"), Test(TriggerField.Name, null, TriggerOperator.Exists)))),
        D(All(
            Any(Test(TriggerField.UserId, null, TriggerOperator.Exists), Text(TriggerField.UserId, TriggerOperator.NotEndsWith, "@test")),
            Test(TriggerField.Traits, "email", TriggerOperator.Exists))),
        D(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), All(Text(TriggerField.Event, TriggerOperator.EqualTo, "A"), Text(TriggerField.Event, TriggerOperator.NotEqualTo, "B")))),
    ];

    [Theory]
    [MemberData(nameof(CanonicalTrees))]
    public void ParsingTheGeneratedTextGivesBackTheTree(TriggerGroupData data)
    {
        var written = Trigger.FromTree(data.Tree);

        Assert.True(written.IsValid, written.Error?.ToString());
        Assert.Equal(data.Tree, written.Trigger.Tree);
        Assert.Equal(data.Tree, Compile(written.Trigger.Text).Tree);
    }

    [Fact]
    public void PathsAreEscapedAsSegmentEscapesThem()
    {
        Assert.Equal("properties.product\\ 1.price != null", Write(All(Test(P, "product 1.price", TriggerOperator.Exists))));
        Assert.Equal("properties.items\\[0\\].sku != null", Write(All(Test(P, "items[0].sku", TriggerOperator.Exists))));
        Assert.Equal("traits.first_name-x != null", Write(All(Test(TriggerField.Traits, "first_name-x", TriggerOperator.Exists))));
    }

    [Fact]
    public void AStepSegmentsLexerCannotReadAfterAPlainDotFollowsAnEscapedDot()
    {
        Assert.Equal("properties\\.0 != null", Write(All(Test(P, "0", TriggerOperator.Exists))));
        Assert.Equal("properties.a\\.\\$b != null", Write(All(Test(P, "a.$b", TriggerOperator.Exists))));
        Assert.Equal("properties.x\\.and = true", Write(All(Test(P, "x.and", TriggerOperator.IsTrue))));
    }

    [Fact]
    public void NumbersAreWrittenWithoutAnExponent()
    {
        Assert.Equal("properties.n = 1000000000000000000000", Write(All(Number(P, "n", TriggerOperator.NumberEqualTo, 1e21))));
        Assert.Equal("properties.n < 0.0000001", Write(All(Number(P, "n", TriggerOperator.LessThan, 1e-7))));
        Assert.Equal("properties.n != 0", Write(All(Number(P, "n", TriggerOperator.NumberNotEqualTo, -0.0))));
    }

    [Fact]
    public void ANestedGroupWithOneConditionIsReplacedByTheCondition()
    {
        var condition = Text(TriggerField.Event, TriggerOperator.EqualTo, "A");
        var written = Trigger.FromTree(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Any(condition)));

        Assert.True(written.IsValid);
        Assert.Equal("type = \"track\" and event = \"A\"", written.Trigger.Text);
    }

    [Fact]
    public void ARootHoldingOnlyAGroupBecomesThatGroup()
    {
        var inner = Any(Text(TriggerField.Type, TriggerOperator.EqualTo, "page"), Text(TriggerField.Type, TriggerOperator.EqualTo, "screen"));
        var written = Trigger.FromTree(All(inner));

        Assert.True(written.IsValid);
        Assert.Equal(inner, written.Trigger.Tree);
        Assert.Equal("type = \"page\" or type = \"screen\"", written.Trigger.Text);
    }

    [Fact]
    public void ASingleConditionRootJoinsWithAnd()
    {
        var written = Trigger.FromTree(Any(Text(TriggerField.Type, TriggerOperator.EqualTo, "page")));

        Assert.True(written.IsValid);
        Assert.Equal(TriggerJoin.And, written.Trigger.Tree.Join);
    }

    [Fact]
    public void AFunctionConditionLastInANestedGroupIsAccepted()
    {
        var tree = All(
            Text(TriggerField.Type, TriggerOperator.EqualTo, "track"),
            Any(Text(TriggerField.Event, TriggerOperator.EqualTo, "b"), Text(TriggerField.Event, TriggerOperator.Contains, "a")));

        Assert.Equal("type = \"track\" and (event = \"b\" or contains(event, \"a\"))", Write(tree));
    }

    public static TheoryData<string, TriggerGroupData> RefusedTrees =>
    new()
    {
        { "empty_group", D(All()) },
        { "empty_group", D(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Any())) },
        { "nested_group", D(All(Any(Text(TriggerField.Event, TriggerOperator.EqualTo, "A"), All(Text(TriggerField.Event, TriggerOperator.EqualTo, "B"), Text(TriggerField.Event, TriggerOperator.EqualTo, "C"))), Text(TriggerField.Type, TriggerOperator.EqualTo, "track"))) },
        { "function_in_group", D(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Any(Text(TriggerField.Event, TriggerOperator.Contains, "a"), Text(TriggerField.Event, TriggerOperator.EqualTo, "b")))) },
        { "function_in_group", D(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "track"), Any(Text(TriggerField.Event, TriggerOperator.Contains, "a"), Text(TriggerField.Event, TriggerOperator.StartsWith, "b")))) },
        { "unknown_event_type", D(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "Identify"))) },
        { "type_operator", D(All(Text(TriggerField.Type, TriggerOperator.Contains, "tr"))) },
        { "quote_in_text", D(All(Text(TriggerField.Event, TriggerOperator.EqualTo, "Say \"hi\""))) },
        { "star_in_pattern", D(All(Text(TriggerField.Event, TriggerOperator.StartsWith, "Order*"))) },
        { "star_in_pattern", D(All(Text(TriggerField.Event, TriggerOperator.NotEndsWith, "*Done"))) },
        { "event_null", D(All(Test(TriggerField.Event, null, TriggerOperator.Exists))) },
        { "boolean_on_text_field", D(All(Test(TriggerField.Name, null, TriggerOperator.IsTrue))) },
        { "number_on_text_field", D(All(new TriggerCondition(TriggerField.Event, null, TriggerOperator.GreaterThan, Number: 5))) },
        { "path_required", D(All(Test(P, null, TriggerOperator.Exists))) },
        { "path_required", D(All(Test(P, "[].", TriggerOperator.Exists))) },
        { "no_subfield", D(All(Text(TriggerField.Event, TriggerOperator.EqualTo, "A", "x"))) },
        { "bad_value", D(All(new TriggerCondition(TriggerField.Event, null, TriggerOperator.EqualTo))) },
        { "bad_value", D(All(new TriggerCondition(P, "n", TriggerOperator.GreaterThan, "5"))) },
        { "bad_value", D(All(new TriggerCondition(P, "n", TriggerOperator.Exists, "x"))) },
        { "bad_number", D(All(Number(P, "n", TriggerOperator.GreaterThan, double.PositiveInfinity))) },
        { "bad_number", D(All(Number(P, "n", TriggerOperator.GreaterThan, double.NaN))) },
        { "unknown_operator", D(All(new TriggerCondition(P, "n", (TriggerOperator)99))) },
    };

    [Theory]
    [MemberData(nameof(RefusedTrees))]
    public void TreesWhoseTextSegmentWouldReadDifferentlyAreRefused(string code, TriggerGroupData data)
    {
        var error = RefusedTree(data.Tree);

        Assert.Equal(code, error.Code);
        Assert.Equal(0, error.Column);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void ARefusedConditionIsNamedInTheMessage()
    {
        var error = RefusedTree(All(Text(TriggerField.Type, TriggerOperator.EqualTo, "Track")));

        Assert.StartsWith("In `type = \"Track\"`: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsedTextCanBeWrittenInCanonicalForm()
    {
        var trigger = Compile("( type='track'  and event =\"A\" )".Replace("'track'", "\"track\"", StringComparison.Ordinal));

        Assert.Equal("type = \"track\" and event = \"A\"", trigger.CanonicalText);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(5, "5")]
    [InlineData(-5.25, "-5.25")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1.25e-10, "-1.25e-10")]
    public void NumbersBecomeTextAsJavaScriptWritesThem(double value, string text) =>
        Assert.Equal(text, TriggerNumbers.ToJavaScriptString(value));

    [Fact]
    public void NegativeZeroIsWrittenAsZero()
    {
        Assert.Equal("0", TriggerNumbers.ToJavaScriptString(-0.0));
        Assert.Equal("0", TriggerNumbers.ToPlainDecimal(-0.0));
    }

    [Fact]
    public void ANumberComparedWithEventIsComparedWithItsJavaScriptText() =>
        Assert.Equal(All(Text(TriggerField.Event, TriggerOperator.EqualTo, "1e+21")), Compile("event = 1000000000000000000000").Tree);

    private static TriggerGroupData D(TriggerGroup tree) => new(tree);

    private static string Write(TriggerGroup tree)
    {
        var written = Trigger.FromTree(tree);
        Assert.True(written.IsValid, written.Error?.ToString());
        return written.Trigger.Text;
    }

    /// <summary>Carries an internal tree through xUnit's public theory data.</summary>
    public sealed class TriggerGroupData(object tree)
    {
        internal TriggerGroup Tree => (TriggerGroup)tree;

        public override string ToString() => Tree.Children.Count == 0 ? "(empty)" : Tree.ToString();
    }
}
