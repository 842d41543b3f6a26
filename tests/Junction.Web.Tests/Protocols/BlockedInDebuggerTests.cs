using System.Text;
using Bunit;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Web.Shared;
using Junction.Web.Sources.Debugger;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Junction.Web.Tests.Protocols;

/// <summary>The debugger's "blocked" status: a blocked event marked with its reason, its own filter, and the detail saying what happened to it.</summary>
public sealed class BlockedInDebuggerTests : IAsyncDisposable
{
    private const string WorkspaceId = "ws_1";
    private const string SourceId = "src_web";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly BunitContext _context = new();
    private readonly DebuggerFeed _feed;

    public BlockedInDebuggerTests()
    {
        _feed = new DebuggerFeed(_time);
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(_feed);
        _context.Services.AddSingleton<TimeProvider>(_time);
        _context.Services.AddSingleton<ISourceLookup>(new Lookup(new SourceInfo(SourceId, WorkspaceId, "web", "Web", "IqDTy1TpoU", Enabled: true)));
        _context.SetRendererInfo(new RendererInfo("Server", true));
    }

    [Fact]
    public void ABlockedEventShowsItsReasonAndHasItsOwnFilter()
    {
        Record(DebuggerStatus.Accepted, "Order Completed", null);
        Record(DebuggerStatus.Blocked, "Order Completed", new Rejection("schema_violation", "properties.order_id is required.", "properties.order_id"));
        var workspace = new WorkspaceEntity { Id = WorkspaceId, Name = "Acme", Slug = "acme" };
        var owner = new Principal(WorkspaceId, PrincipalType.User, "usr_owner", "Olivia", [new Grant(Roles.WorkspaceOwner, GrantScope.Everything)]);
        var page = _context.Render<DebuggerView>(p => p.Add(v => v.SourceId, SourceId).AddCascadingValue(new WorkspaceContext(workspace, owner, owner.Id)));

        Assert.Equal(["blocked", "accepted"], page.FindAll("[data-test=debugger-row]").Select(r => r.GetAttribute("data-status")));
        Assert.Equal("Blocked · schema_violation", page.Find("[data-test=debugger-row][data-status=blocked] [data-test=row-reason]").TextContent.Trim());

        page.Find("[data-test=status-blocked]").Click();
        page.WaitForAssertion(() => Assert.Equal(["blocked"], page.FindAll("[data-test=debugger-row]").Select(r => r.GetAttribute("data-status"))));

        page.Find("[data-test=debugger-row]").Click();
        var reason = page.Find("[data-test=debugger-reason]").TextContent;
        Assert.Contains("Blocked: schema_violation", reason, StringComparison.Ordinal);
        Assert.Contains("the source blocks events with violations", reason, StringComparison.Ordinal);
        Assert.Contains("properties.order_id is required.", reason, StringComparison.Ordinal);
        Assert.Contains("no destination or warehouse received it", reason, StringComparison.Ordinal);
        page.Find("[data-test=view-raw]").Click();
        Assert.Contains("Stored, then blocked", page.Find("[data-test=raw-normalized]").TextContent, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(DebuggerStatus status, string name, Rejection? reason)
    {
        var json = Encoding.UTF8.GetBytes($$$"""{"type":"track","event":"{{{name}}}","userId":"user-1","properties":{"revenue":1} }""");
        _feed.Record(SourceId, _time.GetUtcNow(), status, EventType.Track, name, null, "user-1", null, reason, json, json);
    }

    private sealed class Lookup(params SourceInfo[] sources) : ISourceLookup
    {
        public SourceInfo? FindByWriteKey(string writeKey) => null;

        public SourceInfo? FindById(string sourceId) => sources.FirstOrDefault(s => s.Id == sourceId);

        public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) => sources.Where(s => s.WorkspaceId == workspaceId).ToList();
    }
}
