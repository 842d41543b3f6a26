using Junction.Subscriptions;
using Junction.Web.Destinations.Mappings;

namespace Junction.Web.Tests.Destinations.Mappings;

public sealed class TriggerRowsTests
{
    [Fact]
    public void RowsBecomeTriggerTextAndTheTextBecomesTheSameRowsAgain()
    {
        List<TriggerRow> rows =
        [
            new() { Field = TriggerField.Type, Operator = TriggerOperator.EqualTo, Value = "track" },
            new() { Field = TriggerField.Event, Operator = TriggerOperator.StartsWith, Value = "Order" },
            new() { Field = TriggerField.Properties, Path = "revenue", Operator = TriggerOperator.GreaterThan, Value = "100.5" },
            new() { Field = TriggerField.Context, Path = "page.url", Operator = TriggerOperator.Exists },
        ];

        var (trigger, error) = TriggerRows.ToTrigger(TriggerJoin.Or, rows);

        Assert.Null(error);
        Assert.Equal("""type = "track" or match(event, "Order*") or properties.revenue > 100.5 or context.page.url != null""", trigger!.Text);
        Assert.True(TriggerRows.TryFromTree(Trigger.Parse(trigger.Text).Trigger!.Tree, out var join, out var again));
        Assert.Equal(TriggerJoin.Or, join);
        Assert.Equal(
            rows.Select(r => (r.Field, r.Path, r.Operator, r.Value)),
            again.Select(r => (r.Field, r.Path, r.Operator, r.Value)));
    }

    [Fact]
    public void ARowWhoseNumberIsNotANumberIsRefusedWithItsPosition()
    {
        var (trigger, error) = TriggerRows.ToTrigger(TriggerJoin.And,
        [
            new() { Field = TriggerField.Type, Value = "track" },
            new() { Field = TriggerField.Properties, Path = "total", Operator = TriggerOperator.LessThan, Value = "ten" },
        ]);

        Assert.Null(trigger);
        Assert.StartsWith("Condition 2: \"ten\" is not a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AConditionTheEngineRefusesIsRefusedInItsWords()
    {
        var (trigger, error) = TriggerRows.ToTrigger(TriggerJoin.And, [new() { Field = TriggerField.Properties, Path = "", Operator = TriggerOperator.Exists }]);

        Assert.Null(trigger);
        Assert.Contains("needs a field path", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ATriggerWithNestedGroupsHasNoRows()
    {
        var parsed = Trigger.Parse("""type = "track" and (event = "A" or event = "B")""");

        Assert.False(TriggerRows.TryFromTree(parsed.Trigger!.Tree, out _, out _));
    }

    [Fact]
    public void TheListDescribesATriggerInWords() =>
        Assert.Equal(
            "Event type is \"track\" and (Event name is \"A\" or properties.total is greater than 5)",
            TriggerRows.Describe("""type = "track" and (event = "A" or properties.total > 5)"""));
}
