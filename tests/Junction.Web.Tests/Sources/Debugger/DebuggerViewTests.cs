using AngleSharp.Dom;
using Bunit;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Testing;
using Junction.Web.Shared;
using Junction.Web.Sources.Debugger;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.Debugger;

/// <summary>
/// The Debugger tab rendered with a real <see cref="DebuggerFeed"/> fed by the test and a fake clock that decides
/// when the page draws its arrivals.
/// </summary>
public sealed class DebuggerViewTests : IAsyncDisposable
{
    private const string WorkspaceId = "ws_1";
    private const string SourceId = "src_web";
    private const string OtherWorkspacesSourceId = "src_elsewhere";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly DebuggerFeed _feed;
    private readonly BunitContext _context;

    public DebuggerViewTests()
    {
        _feed = new DebuggerFeed(_time);
        _context = NewContext(interactive: true);
    }

    [Fact]
    public async Task TheRecentEventsShowFirstAndLiveOnesArriveOnTopInOneRender()
    {
        DebuggerEntries.Track(_feed, SourceId, "Earlier");
        var page = Render(Owner());
        Assert.Equal(["Earlier"], Titles(page));

        for (var i = 0; i < 50; i++)
        {
            DebuggerEntries.Track(_feed, SourceId, $"Live {i}");
        }

        await ArrivedAsync(page, 50);
        var renders = page.RenderCount;
        Assert.Equal(["Earlier"], Titles(page));

        _time.Advance(DebuggerView.FrameInterval);

        page.WaitForAssertion(() => Assert.Equal(51, page.Instance.Events.Shown.Count), Patience);
        Assert.Equal(renders + 1, page.RenderCount);
        Assert.Equal("Live 49", Titles(page)[0]);
        Assert.Contains("51 events", page.Find("[data-test=debugger-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageHoldsAtMostFiveHundredEvents()
    {
        var page = Render(Owner());
        for (var i = 0; i < 650; i++)
        {
            DebuggerEntries.Track(_feed, SourceId, $"E{i}");
            if (i % 200 == 199)
            {
                await ArrivedAsync(page, 200);
                _time.Advance(DebuggerView.FrameInterval);
            }
        }

        await ArrivedAsync(page, 50);
        _time.Advance(DebuggerView.FrameInterval);

        page.WaitForAssertion(() => Assert.Equal("E649", page.Instance.Events.Shown[0].Title), Patience);
        Assert.Equal(LiveEvents.Capacity, page.Instance.Events.Shown.Count);
        Assert.Contains("500 events", page.Find("[data-test=debugger-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTypeFilterShowsOnlyTheChosenTypes()
    {
        DebuggerEntries.Track(_feed, SourceId, "Order Completed");
        DebuggerEntries.Accepted(_feed, SourceId, EventType.Page, """{"type":"page","name":"Home"}""", "Home");
        DebuggerEntries.Accepted(_feed, SourceId, EventType.Identify, """{"type":"identify","userId":"user-1"}""");
        var page = Render(Owner());
        Assert.Equal(3, Rows(page).Count);

        page.Find("[data-test=type-page]").Click();
        page.WaitForAssertion(() => Assert.Equal(["page"], Rows(page).Select(r => r.GetAttribute("data-type"))));

        page.Find("[data-test=type-identify]").Click();
        page.WaitForAssertion(() => Assert.Equal(["identify", "page"], Rows(page).Select(r => r.GetAttribute("data-type"))));
        Assert.Contains("2 of 3 events match", page.Find("[data-test=debugger-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStatusFilterAndTheSearchNarrowTheList()
    {
        DebuggerEntries.Track(_feed, SourceId, "Coupon Applied", """{"coupon":"SPRING-SALE"}""");
        DebuggerEntries.Track(_feed, SourceId, "Order Completed");
        DebuggerEntries.RejectedTrack(_feed, SourceId);
        var page = Render(Owner());

        page.Find("[data-test=status-rejected]").Click();
        page.WaitForAssertion(() => Assert.Equal(["rejected"], Rows(page).Select(r => r.GetAttribute("data-status"))));
        Assert.Contains("Rejected · event_not_defined", Rows(page)[0].TextContent, StringComparison.Ordinal);

        page.Find("[data-test=status-rejected]").Click();
        Search(page, "spring-sale");
        page.WaitForAssertion(() => Assert.Equal(["Coupon Applied"], Titles(page)), Patience);

        Search(page, "nothing like this");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-test=debugger-no-match]")), Patience);
    }

    [Fact]
    public async Task PauseKeepsTheListStillAndCountsArrivalsUntilResume()
    {
        DebuggerEntries.Track(_feed, SourceId, "Before");
        var page = Render(Owner());

        page.Find("[data-test=debugger-pause]").Click();
        DebuggerEntries.Track(_feed, SourceId, "During 1");
        DebuggerEntries.RejectedTrack(_feed, SourceId);
        await ArrivedAsync(page, 2);
        _time.Advance(DebuggerView.FrameInterval);

        page.WaitForAssertion(() => Assert.Contains("2 new events waiting", page.Find("[data-test=debugger-waiting]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["Before"], Titles(page));

        page.Find("[data-test=debugger-resume]").Click();

        page.WaitForAssertion(() => Assert.Equal(["(no event name)", "During 1", "Before"], Titles(page)));
        Assert.NotNull(page.Find("[data-test=debugger-live]"));
    }

    [Fact]
    public void SelectingAnEventShowsItsCallAndItsJson()
    {
        DebuggerEntries.Track(_feed, SourceId, "Order Completed", """{"revenue":42.5,"currency":"EUR"}""");
        var page = Render(Owner());

        Rows(page)[0].Click();

        var pretty = page.Find("[data-test=pretty-call] pre").TextContent;
        Assert.Equal("""analytics.track("Order Completed", { revenue: 42.5, currency: "EUR" })""", pretty);

        page.Find("[data-test=view-raw]").Click();
        Assert.Contains("\"event\": \"Order Completed\"", page.Find("[data-test=raw-received] pre").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"receivedAt\": \"2026-01-02T03:04:05.000Z\"", page.Find("[data-test=raw-normalized] pre").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ARejectedEventShowsItsReasonAndThatItWasNotStored()
    {
        DebuggerEntries.RejectedTrack(_feed, SourceId);
        var page = Render(Owner());

        Rows(page)[0].Click();

        var reason = page.Find("[data-test=debugger-reason]").TextContent;
        Assert.Contains("event_not_defined", reason, StringComparison.Ordinal);
        Assert.Contains("A track call needs an \"event\" name", reason, StringComparison.Ordinal);
        Assert.Contains("Field: event", reason, StringComparison.Ordinal);
        Assert.Equal("""analytics.track({ userId: "user-1", properties: { plan: "pro" } })""", page.Find("[data-test=pretty-call] pre").TextContent);

        page.Find("[data-test=view-raw]").Click();
        Assert.Contains("\"plan\": \"pro\"", page.Find("[data-test=raw-received] pre").TextContent, StringComparison.Ordinal);
        Assert.Contains("Not stored", page.Find("[data-test=raw-not-stored]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-test=raw-normalized] pre"));
    }

    [Fact]
    public async Task ASourceOfAnotherWorkspaceCannotBeStreamed()
    {
        DebuggerEntries.Track(_feed, OtherWorkspacesSourceId, "Their Secret");
        var page = Render(Owner(), OtherWorkspacesSourceId);

        Assert.Contains("Source not found", page.Find("[data-test=debugger-unavailable]").TextContent, StringComparison.Ordinal);
        DebuggerEntries.Track(_feed, OtherWorkspacesSourceId, "Another Secret");
        await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        _time.Advance(DebuggerView.FrameInterval);

        Assert.Empty(page.Instance.Events.Shown);
        Assert.DoesNotContain("Secret", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingTheDebuggerNeedsSourceReadOnThatSource()
    {
        DebuggerEntries.Track(_feed, SourceId, "Order Completed");
        var readOnly = Roles.Find("source-read-only")!;

        var elsewhere = Render(Member(new Grant(readOnly, new GrantScope(false, new HashSet<string>(StringComparer.Ordinal) { "src_other" }, []))));
        Assert.NotNull(elsewhere.Find("[data-test=debugger-unavailable]"));
        Assert.Empty(elsewhere.FindAll("[data-test=debugger-row]"));

        var reader = Render(Member(new Grant(readOnly, new GrantScope(false, new HashSet<string>(StringComparer.Ordinal) { SourceId }, []))));
        Assert.Equal(["Order Completed"], Titles(reader));
    }

    [Fact]
    public async Task PrerenderingShowsTheRecentEventsWithoutOpeningTheStream()
    {
        DebuggerEntries.Track(_feed, SourceId, "Earlier");
        await using var prerendering = NewContext(interactive: false);

        var page = Render(Owner(), context: prerendering);
        DebuggerEntries.Track(_feed, SourceId, "Later");
        await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        _time.Advance(DebuggerView.FrameInterval);

        Assert.Equal(["Earlier"], Titles(page));
        Assert.Equal(0, page.Instance.Events.Queued);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private BunitContext NewContext(bool interactive)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddSingleton(_feed);
        context.Services.AddSingleton<TimeProvider>(_time);
        context.Services.AddSingleton<ISourceLookup>(new Lookup(
            new SourceInfo(SourceId, WorkspaceId, "web", "Web", "IqDTy1TpoU", Enabled: true),
            new SourceInfo(OtherWorkspacesSourceId, "ws_other", "theirs", "Theirs", "IqDTy1TpoU", Enabled: true)));
        context.SetRendererInfo(new RendererInfo("Server", interactive));
        return context;
    }

    private IRenderedComponent<DebuggerView> Render(Principal principal, string sourceId = SourceId, BunitContext? context = null)
    {
        var workspace = new WorkspaceEntity { Id = WorkspaceId, Name = "Acme", Slug = "acme" };
        return (context ?? _context).Render<DebuggerView>(parameters => parameters
            .Add(p => p.SourceId, sourceId)
            .AddCascadingValue(new WorkspaceContext(workspace, principal, principal.Id)));
    }

    private static Principal Owner() => new(WorkspaceId, PrincipalType.User, "usr_owner", "Olivia", [new Grant(Roles.WorkspaceOwner, GrantScope.Everything)]);

    private static Principal Member(params Grant[] grants) =>
        new(WorkspaceId, PrincipalType.User, "usr_member", "Max", [new Grant(Roles.WorkspaceMember, GrantScope.Everything), .. grants]);

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<DebuggerView> page) => page.FindAll("[data-test=debugger-row]");

    private static List<string> Titles(IRenderedComponent<DebuggerView> page) =>
        Rows(page).Select(r => r.QuerySelector(".jn-dbg-name")!.TextContent).ToList();

    // The search box waits for typing to pause (MudBlazor's debounce runs on the injected clock).
    private void Search(IRenderedComponent<DebuggerView> page, string text)
    {
        page.Find(".jn-dbg-search input").Input(text);
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    // The feed hands entries to the page on another thread; wait until they are queued for the next frame.
    private static Task ArrivedAsync(IRenderedComponent<DebuggerView> page, int count) =>
        Eventually.TrueAsync(() => Task.FromResult(page.Instance.Events.Queued >= count), Patience, $"{count} events queued by the page");

    private sealed class Lookup(params SourceInfo[] sources) : ISourceLookup
    {
        public SourceInfo? FindByWriteKey(string writeKey) => null;

        public SourceInfo? FindById(string sourceId) => sources.FirstOrDefault(s => s.Id == sourceId);

        public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) => sources.Where(s => s.WorkspaceId == workspaceId).ToList();
    }
}
