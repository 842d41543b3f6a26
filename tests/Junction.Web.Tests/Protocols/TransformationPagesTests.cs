using Bunit;
using Junction.Protocols.ControlPlane;
using Junction.Web.Protocols.Transformations;
using Junction.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Protocols;

/// <summary>
/// The transformation pages against the real ProtocolsService: a new transformation previewed on the source's recent
/// event from the debugger before it is created, the list with its summary and switch, a refusal shown, and a reader's view.
/// </summary>
public sealed class TransformationPagesTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = ProtocolsWorkspace.Patience;
    private ProtocolsWorkspace? _workspace;

    [Fact]
    public async Task ANewTransformationIsPreviewedOnTheSourcesRecentEventThenCreated()
    {
        var workspace = await StartAsync();
        await workspace.TrackAsync("order_done", new { orderId = "o-1" });
        var editor = workspace.RenderPage<TransformationEditor>(workspace.Owner);
        editor.WaitForAssertion(() => Assert.Contains("order_done", editor.Find("#transformation-sample").GetAttribute("value") ?? "", StringComparison.Ordinal), Patience);

        editor.Find("#transformation-name").Input("Fix order names");
        editor.Find("#transformation-if").Input("event = 'order_done'");
        editor.Find("#transformation-event-name").Input("Order Completed");
        editor.Find("[data-test=add-rename]").Click();
        var rename = editor.FindAll("[data-test=rename-row] input");
        rename[0].Input("orderId");
        editor.FindAll("[data-test=rename-row] input")[1].Input("order_id");

        editor.WaitForAssertion(() => Assert.Equal("Changed", editor.Find("[data-test=preview-outcome]").GetAttribute("data-outcome")), Patience);
        var preview = editor.Find("[data-test=preview-event]").TextContent;
        Assert.Contains("\"event\": \"Order Completed\"", preview, StringComparison.Ordinal);
        Assert.Contains("\"order_id\": \"o-1\"", preview, StringComparison.Ordinal);

        editor.Find("#transformation-if").Input("event = ");
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll("[data-test=preview-problem]")), Patience);
        Assert.True(editor.Find("[data-test=save-transformation]").HasAttribute("disabled"));
        editor.Find("#transformation-if").Input("event = 'order_done'");

        editor.Find("[data-test=save-transformation]").Click();
        var navigation = workspace.Bunit.Services.GetRequiredService<NavigationManager>();
        editor.WaitForAssertion(() => Assert.EndsWith("/protocols/transformations", navigation.Uri, StringComparison.Ordinal), Patience);
        var saved = Assert.Single((await workspace.RunAsync<ProtocolsService, Page<TransformationView>>(s => s.ListTransformationsAsync(workspace.Owner.Principal, 0, 10, CancellationToken.None))).Items);
        Assert.Equal(("Fix order names", workspace.SourceId, "Order Completed"), (saved.Definition.Name, saved.Definition.SourceId, saved.Definition.NewEventName));

        var list = workspace.RenderPage<TransformationsList>(workspace.Owner);
        list.WaitForAssertion(() => Assert.Contains("Rename the event to \"Order Completed\"; rename orderId → order_id", list.Find("[data-test=transformation-summary]").TextContent, StringComparison.Ordinal), Patience);
        list.Find("input[data-test=transformation-enabled]").Change(false);
        await Eventually(async () => !(await Find(workspace, saved.Id)).Definition.Enabled, "the transformation disabled");
    }

    [Fact]
    public async Task ARefusalIsShownAndAReaderSeesTheTransformationWithoutActions()
    {
        var workspace = await StartAsync();
        var created = await workspace.RunAsync<ProtocolsService, Junction.Workspace.Outcome<TransformationView>>(s => s.CreateTransformationAsync(
            workspace.Owner.Principal, new NewTransformation("Rename", workspace.SourceId, null, true, "all", NewEventName: "Renamed"), CancellationToken.None));
        var id = created.Value!.Id;

        var editor = workspace.RenderPage<TransformationEditor>(workspace.Owner, p => p.Add(e => e.TransformationId, id));
        editor.WaitForAssertion(() => Assert.Equal("Rename", editor.Find("#transformation-name").GetAttribute("value")), Patience);
        editor.Find("#transformation-name").Input("");
        editor.Find("[data-test=save-transformation]").Click();
        editor.WaitForAssertion(() => Assert.Contains(editor.FindAll(".mud-input-error"), e => e.TextContent.Contains("must be 1 to 200 characters", StringComparison.Ordinal)), Patience);
        Assert.Equal("Rename", (await Find(workspace, id)).Definition.Name);

        var reader = workspace.RenderPage<TransformationEditor>(workspace.Reader, p => p.Add(e => e.TransformationId, id));
        reader.WaitForAssertion(() => Assert.NotEmpty(reader.FindAll("[data-test=read-only]")), Patience);
        Assert.Empty(reader.FindAll("[data-test=save-transformation]"));
        var list = workspace.RenderPage<TransformationsList>(workspace.Reader);
        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-test=transformation]")), Patience);
        Assert.Empty(list.FindAll("[data-test=new-transformation]"));
        Assert.Empty(list.FindAll("[data-test=delete-transformation]"));
        Assert.True(list.Find("input[data-test=transformation-enabled]").HasAttribute("disabled"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private static async Task<TransformationView> Find(ProtocolsWorkspace workspace, string id) =>
        (await workspace.RunAsync<ProtocolsService, Junction.Workspace.Outcome<TransformationView>>(s => s.FindTransformationAsync(workspace.Owner.Principal, id, CancellationToken.None))).Value!;

    private static Task Eventually(Func<Task<bool>> condition, string what) => Junction.Testing.Eventually.TrueAsync(condition, Patience, what);

    private async Task<ProtocolsWorkspace> StartAsync() => _workspace = await ProtocolsWorkspace.StartAsync();
}
