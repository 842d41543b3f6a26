using System.Globalization;
using Bunit;
using Junction.Events;
using Junction.Ingest.Volume;
using Junction.Testing;
using Junction.Web.Sources.Overview;
using Junction.Workspace.Access;
using Junction.Workspace.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Junction.Web.Tests.Sources.Overview;

/// <summary>
/// The Overview tab over a real volume store in a temporary folder, with counts still in memory (as the processor
/// leaves them) and a fake clock that decides when the page refreshes by itself.
/// </summary>
public sealed class SourceOverviewTests : IAsyncDisposable
{
    private const string SourceId = "src_web";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly BunitContext _context = new();
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-04T10:27:30Z", CultureInfo.InvariantCulture));
    private readonly VolumeCounter _counter = new();

    public SourceOverviewTests()
    {
        var store = new VolumeStore(Path.Combine(_data.Path, "volume.db"));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(_time);
        _context.Services.AddSingleton(store);
        _context.Services.AddSingleton(new VolumeFlusher(_counter, store, _time, NullLogger<VolumeFlusher>.Instance));
    }

    [Fact]
    public void EventsCountedAMomentAgoAreInTheTotalsAndTheBreakdowns()
    {
        Count(EventType.Track, "Order Completed", VolumeKind.Accepted, 3);
        Count(EventType.Identify, null, VolumeKind.Accepted, 1);
        Count(EventType.Track, "Order Completed", VolumeKind.Rejected, 2);
        Count(EventType.Track, "Order Completed", VolumeKind.Duplicate, 1);

        var overview = Render();

        overview.WaitForAssertion(() => Assert.Equal("4", Total(overview, "received")), Patience);
        Assert.Equal("2", Total(overview, "rejected"));
        Assert.Equal("1", Total(overview, "duplicates"));
        Assert.Equal(["track 3 2 75%", "identify 1 0 25%"], Rows(overview, "by-type"));
        Assert.Equal(["Order Completed 3 2 75%", "(no name) 1 0 25%"], Rows(overview, "by-name"));
    }

    [Fact]
    public void ThePageReadsTheCountsAgainEveryThirtySecondsWhileItIsOpen()
    {
        Count(EventType.Track, "Signed Up", VolumeKind.Accepted, 1);
        var overview = Render();
        overview.WaitForAssertion(() => Assert.Equal("1", Total(overview, "received")), Patience);

        Count(EventType.Track, "Signed Up", VolumeKind.Accepted, 4);
        _time.Advance(SourceOverview.RefreshInterval - TimeSpan.FromSeconds(1));
        Assert.Equal("1", Total(overview, "received"));

        _time.Advance(TimeSpan.FromSeconds(1));
        overview.WaitForAssertion(() => Assert.Equal("5", Total(overview, "received")), Patience);
    }

    [Fact]
    public void ChoosingARangeCountsOverThatRangeOnly()
    {
        Count(EventType.Track, "Old", VolumeKind.Accepted, 7, _time.GetUtcNow().AddHours(-3));
        Count(EventType.Track, "New", VolumeKind.Accepted, 2);
        var overview = Render();
        overview.WaitForAssertion(() => Assert.Equal("9", Total(overview, "received")), Patience);

        overview.Find("[data-range='1h']").Click();

        overview.WaitForAssertion(() => Assert.Equal("2", Total(overview, "received")), Patience);
        Assert.Equal("true", overview.Find("[data-range='1h']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void WithoutEventsThePageSaysHowToSendTheFirstOne()
    {
        var overview = Render();

        overview.WaitForAssertion(() => Assert.NotNull(overview.Find("[data-test=overview-empty]")), Patience);
        Assert.Equal("/w/acme/sources/src_web/setup", overview.Find("[data-test=overview-empty] a").GetAttribute("href"));
        Assert.Contains("No events in the last 24 hours", overview.Markup, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _data.Dispose();
    }

    private void Count(EventType type, string? name, VolumeKind kind, long count, DateTimeOffset? at = null) =>
        _counter.Add(SourceId, type, name, at ?? _time.GetUtcNow(), kind, count);

    private IRenderedComponent<SourceOverview> Render()
    {
        var source = new SourceView(SourceId, Workspaces.Id, "web", "Web", "IqDTy1TpoU", true, "{}", _time.GetUtcNow(), [], [], AccessLevel.Write);
        return _context.Render<SourceOverview>(p => p.AddCascadingValue(Workspaces.AsOwner()).AddCascadingValue(source));
    }

    private static string Total(IRenderedComponent<SourceOverview> overview, string which) =>
        overview.Find($"[data-test={which}] h5").TextContent.Trim();

    private static List<string> Rows(IRenderedComponent<SourceOverview> overview, string breakdown) =>
        overview.FindAll($"[data-test={breakdown}] tbody tr")
            .Select(r => string.Join(' ', r.Children.Select(c => c.TextContent.Trim())))
            .ToList();
}
