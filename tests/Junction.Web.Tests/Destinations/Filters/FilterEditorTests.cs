using Bunit;
using Junction.Web.Destinations.Filters;
using TestWorkspaces = Junction.Web.Tests.Sources.Workspaces;

namespace Junction.Web.Tests.Destinations.Filters;

public sealed class FilterEditorTests : IAsyncDisposable
{
    private readonly DestinationComponents _ui = new();

    [Fact]
    public void AMatchingDropFilterDropsTheSampleAndSaysWhy()
    {
        var editor = _ui.Render<FilterEditor>();

        Assert.Contains("The condition matches and the filter drops the event", editor.Find("[data-test=preview-dropped]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventTheConditionDoesNotMatchIsKeptUnchanged()
    {
        var editor = _ui.Render<FilterEditor>();

        editor.Find("#filter-if").Input("type = 'identify'");

        Assert.Contains("The condition does not match", editor.Find("[data-test=preview-kept]").TextContent, StringComparison.Ordinal);
        Assert.Empty(editor.FindAll("[data-test=preview-removed]"));
        Assert.Contains("jane@example.com", editor.Find("[data-test=preview-event] pre").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DroppingPropertiesKeepsTheEventAndListsThePropertiesRemoved()
    {
        var editor = _ui.Render<FilterEditor>();

        _ui.Choose(() => editor.Find("[data-test=filter-action]"), 0, "Drop properties");
        editor.Find("[data-test=fields-keys]").Input("email, currency");

        Assert.Contains("removed: properties.", editor.Find("[data-test=preview-kept]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["properties.currency", "properties.email"], editor.FindAll("[data-test=preview-removed] li").Select(li => li.TextContent.Trim()));
        var sent = editor.Find("[data-test=preview-event] pre").TextContent;
        Assert.DoesNotContain("\"currency\"", sent, StringComparison.Ordinal);
        Assert.Contains("\"revenue\": 42.5", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidConditionShowsTheColumnWhereReadingStopped()
    {
        var editor = _ui.Render<FilterEditor>();
        editor.Find("#filter-title").Input("No tests");

        editor.Find("#filter-if").Input("type = 'track' and (");

        Assert.Matches("(?i)column [0-9]+", editor.Find(".mud-input-error").TextContent);
        Assert.True(editor.Find("[data-test=save]").HasAttribute("disabled"));
        Assert.Contains("Fix the filter to see what it does", editor.Find("[data-test=preview-invalid]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ASamplePercentThatIsNotANumberIsRefusedOnItsAction()
    {
        var editor = _ui.Render<FilterEditor>();
        _ui.Choose(() => editor.Find("[data-test=filter-action]"), 0, "Sample: keep a share of events");

        editor.Find("[data-test=action-percent]").Input("half");

        Assert.Contains("Action 1: \"half\" is not a percentage", editor.Find("[data-test=actions-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void WhoMayOnlyReadSeesTheFilterWithoutSave()
    {
        var editor = _ui.Render<FilterEditor>(p => p.Add(e => e.ReadOnly, true), TestWorkspaces.AsSourceReader());

        Assert.Empty(editor.FindAll("[data-test=save]"));
        Assert.Empty(editor.FindAll("[data-test=add-action]"));
        Assert.True(editor.Find("#filter-if").HasAttribute("readonly"));
        Assert.NotEmpty(editor.FindAll("[data-test=preview-dropped]"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
