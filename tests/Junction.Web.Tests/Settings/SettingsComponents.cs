using AngleSharp.Dom;
using Bunit;
using Junction.Web.Settings;
using Junction.Web.Settings.Components;
using Junction.Workspace.Access;
using Junction.Workspace.Labels;
using Junction.Workspace.Members;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// A bUnit context for the settings components: MudBlazor's services, its popover and dialog providers rendered (the
/// dialogs and the select lists appear in them, as in the app), and a small workspace to choose from.
/// </summary>
internal sealed class SettingsComponents : IAsyncDisposable
{
    public const string WorkspaceId = "ws_test";
    public const string WebId = "src_web";
    public const string AppId = "src_app";
    public const string AnalystsId = "grp_analysts";
    public const string SupportId = "grp_support";

    public static readonly Label Prod = new("environment", "prod");
    public static readonly Label TeamWeb = new("team", "web");

    public static readonly AccessOptions Options = new(
        [
            new ResourceOption(ResourceKind.Source, AppId, "Mobile app", [Prod]),
            new ResourceOption(ResourceKind.Source, WebId, "Web site", [Prod, TeamWeb]),
        ],
        [new LabelView("environment", "prod", null), new LabelView("team", "web", null)],
        [new GroupRef(AnalystsId, "Analysts"), new GroupRef(SupportId, "Support")]);

    private IRenderedComponent<IComponent>? _providers;

    public SettingsComponents()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
    }

    /// <summary>The bUnit context; add services to it before the first render.</summary>
    public BunitContext Context { get; } = new();

    /// <summary>Where dialogs and open select lists are rendered; rendered before any component of a test.</summary>
    public IRenderedComponent<IComponent> Providers => _providers ??= Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
    });

    /// <summary>Renders a component (after the providers, so that its dialogs have somewhere to open).</summary>
    public IRenderedComponent<T> Render<T>()
        where T : IComponent
    {
        _ = Providers;
        return Context.Render<T>();
    }

    /// <summary>Renders a fragment (after the providers).</summary>
    public IRenderedComponent<IComponent> Render(RenderFragment fragment)
    {
        _ = Providers;
        return Context.Render(fragment);
    }

    /// <summary>The open dialog.</summary>
    public IElement Dialog => Providers.Find(".mud-dialog");

    /// <summary>Chooses an option of the n-th select inside <paramref name="scope"/>: opens its list and clicks the option.</summary>
    public void Choose(Func<IElement> scope, int index, string option)
    {
        scope().QuerySelectorAll(".mud-select .mud-input-control")[index].MouseDown();
        Providers.WaitForAssertion(() => Assert.NotEmpty(OptionsNamed(option)));
        OptionsNamed(option)[0].Click();
    }

    /// <summary>Clicks the button of <paramref name="scope"/> whose text is <paramref name="text"/>.</summary>
    public static void ClickButton(IElement scope, string text) =>
        scope.QuerySelectorAll("button").First(b => b.TextContent.Trim().Equals(text, StringComparison.OrdinalIgnoreCase)).Click();

    /// <summary>Ticks (or unticks) the checkbox labelled <paramref name="label"/> in <paramref name="scope"/>.</summary>
    public static void Tick(IElement scope, string label) =>
        scope.QuerySelectorAll("label.mud-checkbox").First(l => l.TextContent.Trim() == label).QuerySelector("input")!.Change(true);

    /// <summary>Chooses the radio button labelled <paramref name="label"/> in <paramref name="scope"/>.</summary>
    public static void Pick(IElement scope, string label) =>
        scope.QuerySelectorAll("label.mud-radio").First(l => l.TextContent.Trim() == label).QuerySelector("input")!.Click();

    public ValueTask DisposeAsync() => Context.DisposeAsync();

    private List<IElement> OptionsNamed(string option) =>
        Providers.FindAll(".mud-popover-open .mud-list-item").Where(i => i.TextContent.Trim() == option).ToList();
}
