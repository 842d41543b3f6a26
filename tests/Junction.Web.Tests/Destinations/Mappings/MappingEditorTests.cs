using Bunit;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Web.Destinations.Mappings;
using TestWorkspaces = Junction.Web.Tests.Sources.Workspaces;

namespace Junction.Web.Tests.Destinations.Mappings;

public sealed class MappingEditorTests : IAsyncDisposable
{
    private readonly DestinationComponents _ui = new();

    [Fact]
    public void ANewMappingStartsFromTheActionsDefaultsAndPreviewsThePayloadOfTheExampleEvent()
    {
        var editor = _ui.Render<MappingEditor>();
        editor.FindAll("[data-test=choose-action]")[0].Click();

        Assert.Equal("Track Event", editor.Find("#mapping-name").GetAttribute("value"));
        Assert.Equal(["event_name", "user_id"], editor.FindAll("[data-test=field]").Select(f => f.GetAttribute("data-key")));
        Assert.Contains("The trigger matches this event", editor.Find("[data-test=preview-trigger]").TextContent, StringComparison.Ordinal);
        var payload = editor.Find("[data-test=preview-payload] pre").TextContent;
        Assert.Contains("\"event_name\": \"Order Completed\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"user_id\": \"user-42\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePreviewFollowsTheSampleEventAsItIsEdited()
    {
        var editor = _ui.Render<MappingEditor>();
        editor.FindAll("[data-test=choose-action]")[0].Click();

        editor.Find("#sample-json").Input("""{"type": "track", "event": "Signed Up", "userId": "u-9"}""");
        editor.WaitForAssertion(() => Assert.Contains("\"event_name\": \"Signed Up\"", editor.Find("[data-test=preview-payload] pre").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        editor.Find("#sample-json").Input("""{"type": "identify", "userId": "u-9"}""");
        editor.WaitForAssertion(() => Assert.Contains("does not match this event", editor.Find("[data-test=preview-trigger]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        editor.Find("#sample-json").Input("""{"type": """);
        editor.WaitForAssertion(() => Assert.Contains("The sample event is not valid JSON", editor.Find("[data-test=preview-sample-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void TheSourcesRecentEventIsTheFirstSample()
    {
        var identify = """{"type":"identify","userId":"u-recent","traits":{"plan":"pro"}}"""u8;
        _ui.Feed.Record(DestinationComponents.SourceId, DateTimeOffset.UnixEpoch, DebuggerStatus.Accepted, EventType.Identify, null, "m1", "u-recent", null, null,
            identify, identify);

        var editor = _ui.Render<MappingEditor>();
        editor.FindAll("[data-test=choose-action]")[1].Click();

        Assert.Contains("u-recent", editor.Find("#sample-json").TextContent + editor.Find("#sample-json").GetAttribute("value"), StringComparison.Ordinal);
        Assert.Contains("\"plan\": \"pro\"", editor.Find("[data-test=preview-payload] pre").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AMappingFieldWithInvalidJsonIsShownOnTheFieldAndSaveIsDisabled()
    {
        var editor = _ui.Render<MappingEditor>();
        editor.FindAll("[data-test=choose-action]")[0].Click();

        _ui.Choose(() => editor.Find("[data-key=user_id]"), 0, "JSON (value or directive)");
        editor.Find("#field-user_id").Input("""{"@path": """);

        Assert.Contains("This is not valid JSON", editor.Find("[data-key=user_id]").TextContent, StringComparison.Ordinal);
        Assert.True(editor.Find("[data-test=save]").HasAttribute("disabled"));
        Assert.Contains("Fix the field mappings", editor.Find("[data-test=preview-mapping-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyNameIsRefusedBeforeSaving()
    {
        var editor = _ui.Render<MappingEditor>();
        editor.FindAll("[data-test=choose-action]")[0].Click();

        editor.Find("#mapping-name").Input("  ");

        Assert.Contains("A name has 1 to 200 characters", editor.Markup, StringComparison.Ordinal);
        Assert.True(editor.Find("[data-test=save]").HasAttribute("disabled"));
    }

    [Fact]
    public void WhoMayOnlyReadSeesTheMappingWithoutSave()
    {
        var editor = _ui.Render<MappingEditor>(p => p.Add(e => e.ReadOnly, true), TestWorkspaces.AsSourceReader());
        editor.FindAll("[data-test=choose-action]")[0].Click();

        Assert.Empty(editor.FindAll("[data-test=save]"));
        Assert.Empty(editor.FindAll("[data-test=add-condition]"));
        Assert.True(editor.Find("#mapping-name").HasAttribute("readonly"));
        Assert.NotEmpty(editor.FindAll("[data-test=preview-payload]"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
