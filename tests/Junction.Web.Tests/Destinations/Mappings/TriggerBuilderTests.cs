using Bunit;
using Junction.Web.Destinations.Mappings;

namespace Junction.Web.Tests.Destinations.Mappings;

public sealed class TriggerBuilderTests : IAsyncDisposable
{
    private readonly DestinationComponents _ui = new();
    private string? _text;
    private string? _error;

    [Fact]
    public void ConditionRowsShowAsTextAndTheEditedTextComesBackAsRows()
    {
        var builder = Render("""type = "track" and event = "Order Completed" """.Trim());
        Assert.Equal(2, builder.FindAll("[data-test=trigger-row]").Count);

        builder.Find("[data-test=text-mode]").Change(true);
        builder.WaitForAssertion(() => Assert.Equal("""type = "track" and event = "Order Completed" """.Trim(), builder.Find("#trigger-text").GetAttribute("value") ?? builder.Find("#trigger-text").TextContent), TimeSpan.FromSeconds(10));

        builder.Find("#trigger-text").Input("""type = "identify" or userId != null or properties.total >= 10""");
        builder.WaitForAssertion(() => Assert.Equal("""type = "identify" or userId != null or properties.total >= 10""", _text), TimeSpan.FromSeconds(10));
        builder.Find("[data-test=text-mode]").Change(false);

        var rows = builder.FindAll("[data-test=trigger-row]");
        Assert.Equal(3, rows.Count);
        Assert.Equal("total", rows[2].QuerySelector("[data-test=row-path]")!.GetAttribute("value"));
        Assert.Equal("10", rows[2].QuerySelector("[data-test=row-value]")!.GetAttribute("value"));
        Assert.Contains("""type = "identify" or userId != null or properties.total >= 10""", builder.Find("[data-test=trigger-written]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EditingARowWritesTheTriggerThroughTheEngine()
    {
        var builder = Render("""type = "track" """.Trim());

        builder.Find("[data-test=add-condition]").Click();
        builder.FindAll("[data-test=trigger-row]")[1].QuerySelector("input[data-test=row-value]")!.Input("Signed Up");

        Assert.Equal("""type = "track" and event = "Signed Up" """.Trim(), _text);
        Assert.Null(_error);
    }

    [Fact]
    public void TextThatDoesNotParseShowsTheEnginesErrorWithItsColumn()
    {
        var builder = Render("""type = "track" """.Trim());
        builder.Find("[data-test=text-mode]").Change(true);

        builder.Find("#trigger-text").Input("""type = "track" and event == "A" """.Trim());

        Assert.StartsWith("Column ", _error, StringComparison.Ordinal);
        Assert.Contains(_error!, builder.Markup, StringComparison.Ordinal);
        Assert.Equal("""type = "track" """.Trim(), _text ?? """type = "track" """.Trim());

        builder.Find("[data-test=text-mode]").Change(false);
        builder.WaitForAssertion(() => Assert.Contains("Fix the text before going back to the conditions", builder.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ATriggerWithNestedGroupsOpensAsText()
    {
        var builder = Render("""type = "track" and (event = "A" or event = "B")""");

        Assert.Empty(builder.FindAll("[data-test=trigger-row]"));
        Assert.Contains("only the text shows as written", builder.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<TriggerBuilder> Render(string text) =>
        _ui.Render<TriggerBuilder>(p => p
            .Add(b => b.Text, text)
            .Add(b => b.TextChanged, (string t) => _text = t)
            .Add(b => b.ErrorChanged, (string? e) => _error = e));

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
