using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Junction.Destinations.ControlPlane;
using Junction.Destinations.Framework;
using Junction.Ingest.Debugger;
using Junction.Web.Shared;
using Junction.Workspace.Catalog;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using FieldType = Junction.Destinations.Framework.FieldType;
using TestWorkspaces = Junction.Web.Tests.Sources.Workspaces;

namespace Junction.Web.Tests.Destinations;

/// <summary>
/// A bUnit context for a destination's tabs: MudBlazor's services and popover provider (select lists open there), a
/// debugger feed for sample events, and "Probe (Actions)" on a source, cascaded as the destination frame does.
/// </summary>
internal sealed class DestinationComponents : IAsyncDisposable
{
    public const string SourceId = "src_web";

    private IRenderedComponent<IComponent>? _providers;

    public DestinationComponents()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddScoped<Scoped>();
        Context.Services.AddSingleton(Feed);
    }

    public BunitContext Context { get; } = new();

    public DebuggerFeed Feed { get; } = new(TimeProvider.System);

    /// <summary>An Actions destination with two actions, as the tests of the control plane use it.</summary>
    public static DestinationDefinition ProbeDefinition { get; } = new(
        "probe-actions-0001", "probe-actions", "Probe (Actions)", "A destination that only tests use.", [DestinationCategories.Analytics],
        "https://example.com/probe", new SourceBadge("PR", "#123456"), [],
        [
            new ActionDefinition("probeTrack", "trackEvent", "Track Event", "Sends a track event.", "type = \"track\"",
            [
                new ActionField("event_name", "Event name", "The event's name.", FieldType.String, Required: true, Default: new JsonObject { ["@path"] = "$.event" }),
                new ActionField("user_id", "User ID", "The user.", FieldType.String, Default: new JsonObject { ["@path"] = "$.userId" }),
            ]),
            new ActionDefinition("probeIdentify", "identifyUser", "Identify User", "Sends traits.", "type = \"identify\"",
            [
                new ActionField("traits", "Traits", "The user's traits.", FieldType.Object, Default: new JsonObject { ["@path"] = "$.traits" }),
            ]),
        ],
        [], "https://probe.example.com");

    public static DestinationView Probe { get; } = new(
        "dst_probe", TestWorkspaces.Id, SourceId, ProbeDefinition, "Probe", true, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    public IRenderedComponent<IComponent> Providers => _providers ??= Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
    });

    /// <summary>Renders a component of a destination tab, as the owner unless another workspace view is given.</summary>
    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null, Web.Shared.WorkspaceContext? workspace = null)
        where T : IComponent
    {
        _ = Providers;
        return Context.Render<T>(p =>
        {
            p.AddCascadingValue(workspace ?? TestWorkspaces.AsOwner()).AddCascadingValue(Probe);
            parameters?.Invoke(p);
        });
    }

    /// <summary>Chooses an option of the n-th select inside <paramref name="scope"/>: opens its list and clicks the option.</summary>
    public void Choose(Func<IElement> scope, int index, string option)
    {
        scope().QuerySelectorAll(".mud-select .mud-input-control")[index].MouseDown();
        Providers.WaitForAssertion(() => Assert.NotEmpty(OptionsNamed(option)));
        OptionsNamed(option)[0].Click();
    }

    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public ValueTask DisposeAsync() => Context.DisposeAsync();

    private List<IElement> OptionsNamed(string option) =>
        Providers.FindAll(".mud-popover-open .mud-list-item").Where(i => i.TextContent.Trim() == option).ToList();
}
