using System.Text.Json.Nodes;
using Junction.Protocols.Transformations;

namespace Junction.Protocols.Tests.Transformations;

public sealed class TransformationTests
{
    private const string Order = """
        {"type":"track","event":"completed_order","userId":"u1","messageId":"m1",
         "context":{"app":{"name":"shop"},"traits":{"email":"Ada@Example.com"}},
         "properties":{"orderId":"o-1","total":30,"currency":"usd","email":"Ada@Example.COM","shipping":{"method":"ups"}}}
        """;

    private const string Identify = """{"type":"identify","userId":"u1","traits":{"firstName":"Ada","email":"ADA@EXAMPLE.COM"}}""";

    internal static TransformationDefinition Definition(
        string condition = "all",
        bool drop = false,
        string? newEventName = null,
        IReadOnlyList<PropertyRename>? renames = null,
        IReadOnlyList<PropertyValueTransformation>? values = null,
        IReadOnlyList<FqlDefinedProperty>? defined = null,
        bool enabled = true) =>
        new("t1", "Fix orders", "src_1", null, enabled, condition, drop, newEventName, renames ?? [], values ?? [], defined ?? []);

    private static (TransformOutcome Outcome, JsonObject Event) Apply(TransformationDefinition definition, string json = Order)
    {
        var @event = JsonNode.Parse(json)!.AsObject();
        var outcome = TransformationCompiler.Compile(definition).Apply(@event);
        return (outcome, @event);
    }

    [Fact]
    public void AnEventThatDoesNotMatchTheConditionIsSkippedUnchanged()
    {
        var (outcome, @event) = Apply(Definition("event = 'Order Completed'", newEventName: "Other"));

        Assert.Equal(TransformOutcome.Skipped, outcome);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Order), @event));
    }

    [Fact]
    public void ADroppingTransformationDropsMatchingEventsAndIgnoresItsOtherFields()
    {
        var definition = Definition("event = 'completed_order'", drop: true, newEventName: "Order Completed");

        var (outcome, @event) = Apply(definition);

        Assert.Equal(TransformOutcome.Dropped, outcome);
        Assert.Equal("completed_order", (string?)@event["event"]);
        Assert.Equal(TransformOutcome.Skipped, Apply(definition, Identify).Outcome);
    }

    [Fact]
    public void NewEventNameRenamesTrackEventsOnly()
    {
        var definition = Definition(newEventName: "Order Completed");

        var (outcome, @event) = Apply(definition);
        var (identifyOutcome, identify) = Apply(definition, Identify);

        Assert.Equal(TransformOutcome.Changed, outcome);
        Assert.Equal("Order Completed", (string?)@event["event"]);
        Assert.Equal(TransformOutcome.Skipped, identifyOutcome);
        Assert.Null(identify["event"]);
    }

    [Fact]
    public void PropertyRenamesMoveValuesAndMayRestructureThem()
    {
        var definition = Definition(renames:
        [
            new("orderId", "order_id"),
            new("properties.shipping.method", "properties.shipping_method"),
            new("context.app.name", "context.app.title"),
            new("total", "amounts.total"),
        ]);

        var (outcome, @event) = Apply(definition);

        Assert.Equal(TransformOutcome.Changed, outcome);
        var properties = @event["properties"]!.AsObject();
        Assert.Equal("o-1", (string?)properties["order_id"]);
        Assert.False(properties.ContainsKey("orderId"));
        Assert.Equal("ups", (string?)properties["shipping_method"]);
        Assert.Empty(properties["shipping"]!.AsObject());
        Assert.Equal(30, (int)properties["amounts"]!["total"]!);
        Assert.Equal("shop", (string?)@event["context"]!["app"]!["title"]);
    }

    [Fact]
    public void RelativeRenamesApplyToTraitsOfIdentifyAndGroupCalls()
    {
        var (outcome, @event) = Apply(Definition("type = 'identify'", renames: [new("firstName", "first_name")]), Identify);

        Assert.Equal(TransformOutcome.Changed, outcome);
        Assert.Equal("Ada", (string?)@event["traits"]!["first_name"]);
        Assert.False(@event["traits"]!.AsObject().ContainsKey("firstName"));
    }

    [Fact]
    public void AnEscapedDotRenamesAKeyThatHoldsADot()
    {
        var (_, @event) = Apply(Definition(renames: [new("properties.utm\\.source", "properties.utm_source")]), """{"type":"track","event":"X","properties":{"utm.source":"ad"}}""");

        Assert.Equal("ad", (string?)@event["properties"]!["utm_source"]);
        Assert.Single(@event["properties"]!.AsObject());
    }

    [Fact]
    public void ARenameOfAMissingFieldChangesNothing()
    {
        var (outcome, @event) = Apply(Definition(renames: [new("missing", "still_missing")]));

        Assert.Equal(TransformOutcome.Skipped, outcome);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Order), @event));
    }

    [Fact]
    public void ARenameThatCannotBePlacedLeavesTheValueWhereItWas()
    {
        var (outcome, @event) = Apply(Definition(renames: [new("orderId", "currency.code")]));

        Assert.Equal(TransformOutcome.Skipped, outcome);
        Assert.Equal("o-1", (string?)@event["properties"]!["orderId"]);
        Assert.Equal("usd", (string?)@event["properties"]!["currency"]);
    }

    [Fact]
    public void ValueTransformationsSetStaticValuesOnTopLevelContextAndPropertyPaths()
    {
        var definition = Definition(values:
        [
            new(["properties.currency", "context.app.region"], "EU"),
            new(["userId"], "anonymised"),
        ]);

        var (outcome, @event) = Apply(definition);

        Assert.Equal(TransformOutcome.Changed, outcome);
        Assert.Equal("EU", (string?)@event["properties"]!["currency"]);
        Assert.Equal("EU", (string?)@event["context"]!["app"]!["region"]);
        Assert.Equal("anonymised", (string?)@event["userId"]);
    }

    [Fact]
    public void SettingAValueThatIsAlreadyThereIsNoChange() =>
        Assert.Equal(TransformOutcome.Skipped, Apply(Definition(values: [new(["properties.currency"], "usd")])).Outcome);

    [Theory]
    [InlineData("lowercase(properties.email)", "ada@example.com")]
    [InlineData("uppercase(properties.currency)", "USD")]
    [InlineData("snakecase(event)", "completed_order")]
    [InlineData("kebabcase('Order Completed')", "order-completed")]
    [InlineData("titlecase(properties.shipping.method)", "Ups")]
    [InlineData("lowercase(titlecase( properties.currency ))", "usd")]
    [InlineData("properties.orderId", "o-1")]
    [InlineData("'fixed'", "fixed")]
    public void AnFqlDefinedPropertySetsTheValueOfItsExpression(string fql, string expected)
    {
        var (outcome, @event) = Apply(Definition(defined: [new(fql, "properties.derived")]));

        Assert.Equal(TransformOutcome.Changed, outcome);
        Assert.Equal(expected, (string?)@event["properties"]!["derived"]);
    }

    [Fact]
    public void AnFqlDefinedPropertyMayOverwriteTheFieldItReads()
    {
        var (_, @event) = Apply(Definition(defined: [new("lowercase(traits.email)", "traits.email")]), Identify);

        Assert.Equal("ada@example.com", (string?)@event["traits"]!["email"]);
    }

    [Fact]
    public void ACaseFunctionOfAMissingOrNonStringFieldLeavesTheTargetAlone()
    {
        Assert.Equal(TransformOutcome.Skipped, Apply(Definition(defined: [new("lowercase(properties.nothing)", "properties.derived")])).Outcome);
        Assert.Equal(TransformOutcome.Skipped, Apply(Definition(defined: [new("lowercase(properties.total)", "properties.derived")])).Outcome);
    }

    [Fact]
    public void StepsRunInTheDocumentedOrderOnOneEvent()
    {
        // The condition reads the old name; the rename of the event happens before the property renames, and the
        // value transformations see the renamed properties' new places.
        var definition = Definition(
            "event = 'completed_order' and properties.currency = 'usd'",
            newEventName: "Order Completed",
            renames: [new("orderId", "order_id")],
            values: [new(["properties.currency"], "USD")]);

        var (outcome, @event) = Apply(definition);

        Assert.Equal(TransformOutcome.Changed, outcome);
        Assert.Equal("Order Completed", (string?)@event["event"]);
        Assert.Equal("o-1", (string?)@event["properties"]!["order_id"]);
        Assert.Equal("USD", (string?)@event["properties"]!["currency"]);
    }

    [Theory]
    [InlineData("event = 'completed_order'", true)]
    [InlineData("'completed_order' = event", true)]
    [InlineData("event != 'completed_order'", false)]
    [InlineData("type = 'track' and properties.total = 30", true)]
    [InlineData("type = 'identify' or properties.currency = 'usd'", true)]
    [InlineData("properties.missing = null", true)]
    [InlineData("properties.total = '30'", false)]
    [InlineData("match(event, 'completed_*')", true)]
    [InlineData("properties.total > 20 and contains(context.traits.email, '@')", true)]
    [InlineData("!(type = 'track')", false)]
    [InlineData("event in ['a', 'completed_order']", true)]
    [InlineData("type = 'track' and (event = 'x' or event = 'completed_order')", true)]
    [InlineData("properties.currency > 3", false)]
    public void ConditionsMeanWhatFqlMeans(string condition, bool matches) =>
        Assert.Equal(matches, Apply(Definition(condition, values: [new(["properties.flag"], "on")])).Outcome == TransformOutcome.Changed);

    [Fact]
    public void EventsWithUndecodableStringsAreTransformedWithoutThrowing()
    {
        const string Broken = """{"type":"track","event":"\ud800","properties":{"email":"\udc00"}}""";

        Assert.Equal(TransformOutcome.Skipped, Apply(Definition("event = 'x'", newEventName: "Y"), Broken).Outcome);
        Assert.Equal(TransformOutcome.Skipped, Apply(Definition(defined: [new("lowercase(properties.email)", "properties.email")]), Broken).Outcome);
        Assert.Equal(TransformOutcome.Changed, Apply(Definition(newEventName: "Fixed"), Broken).Outcome);
    }

    [Fact]
    public void ADisabledTransformationSkipsEveryEvent() =>
        Assert.Equal(TransformOutcome.Skipped, Apply(Definition(drop: true, enabled: false)).Outcome);

    [Fact]
    public void ACompiledTransformationKeepsItsDefinition()
    {
        var definition = Definition(newEventName: "X");

        Assert.Same(definition, TransformationCompiler.Compile(definition).Definition);
    }

    [Fact]
    public void ACompiledTransformationCanBeAppliedFromManyThreadsAtOnce()
    {
        var compiled = TransformationCompiler.Compile(Definition(
            "properties.total > 10",
            newEventName: "Order Completed",
            renames: [new("orderId", "order_id")]));

        var events = Enumerable.Range(0, 200).AsParallel().WithDegreeOfParallelism(4).Select(_ =>
        {
            var @event = JsonNode.Parse(Order)!.AsObject();
            return (compiled.Apply(@event), @event);
        }).ToArray();

        Assert.All(events, e =>
        {
            Assert.Equal(TransformOutcome.Changed, e.Item1);
            Assert.Equal("o-1", (string?)e.@event["properties"]!["order_id"]);
        });
    }
}
