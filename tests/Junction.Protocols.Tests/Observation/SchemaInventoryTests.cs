using System.Text.Json;
using Junction.EventLog;
using Junction.Protocols.Observation;
using Junction.Protocols.Processing;
using Junction.Protocols.Tests.Processing;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Tests.Observation;

public sealed class SchemaInventoryTests : IDisposable
{
    private readonly StageHarness _harness = new(new ProtocolsProcessingOptions { SampleFirstPerMinute = 1, SampleOneIn = 1000 });

    [Fact]
    public async Task VolumesAreSummedFromUtcDayRowsOverTheLast1And7And30Days()
    {
        var now = StageHarness.Now;
        await _harness.RunAsync(
            At(now),
            At(now.AddHours(-1)),
            At(now.AddDays(-3)),
            At(now.AddDays(-10)),
            At(now.AddDays(-40)));

        var observed = Assert.Single(await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None));

        Assert.Equal((2L, 3L, 4L), (observed.Volume1Day, observed.Volume7Days, observed.Volume30Days));
        Assert.Equal((now.AddDays(-40), now), (observed.FirstSeen, observed.LastSeen));
    }

    [Fact]
    public async Task PropertiesAreObservedFromSampledEventsWithEveryTypeSeen()
    {
        await _harness.RunAsync(
            Event("""{"type":"track","event":"Viewed","userId":"u1","properties":{"price":5}}""", StageHarness.Now),
            Event("""{"type":"track","event":"Viewed","userId":"u1","properties":{"price":"5","hidden":true}}""", StageHarness.Now.AddSeconds(1)),
            Event("""{"type":"track","event":"Viewed","userId":"u1","properties":{"price":5.5}}""", StageHarness.Now.AddMinutes(1)));

        var observed = Assert.Single(await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None));

        // One sample per minute here: the second event (same minute, not the 1000th) is counted but not read.
        var price = Assert.Single(observed.Properties);
        Assert.Equal("properties.price", price.Path);
        Assert.Equal(["integer", "number"], price.Types);
        Assert.Equal(3, observed.Volume1Day);
    }

    [Fact]
    public async Task FlagsAreKeptInTheStoreAndReachTheProcessorAtOnce()
    {
        await _harness.RunAsync(Event("""{"type":"track","event":"Viewed","userId":"u1","properties":{"price":5}}""", StageHarness.Now));

        Assert.True(await _harness.Inventory.TrySetEventFlagsAsync(StageHarness.Source, "track", "Viewed", null, true, CancellationToken.None));
        Assert.True(await _harness.Inventory.TrySetPropertyBlockedAsync(StageHarness.Source, "track", "Viewed", "properties.price", true, CancellationToken.None));
        Assert.False(await _harness.Inventory.TrySetEventFlagsAsync(StageHarness.Source, "track", "Never Sent", true, null, CancellationToken.None));
        Assert.False(await _harness.Inventory.TrySetPropertyBlockedAsync(StageHarness.Source, "track", "Viewed", "properties.nope", true, CancellationToken.None));

        var observed = Assert.Single(await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None));
        Assert.Equal((false, true, true), (observed.IsBlocked, observed.IsArchived, observed.Properties[0].IsBlocked));
        Assert.Equal(["properties.price"], _harness.Flags.ForSource(StageHarness.Source)!.BlockedPropertiesOf("track:Viewed")!);
        Assert.False(_harness.Flags.ForSource(StageHarness.Source)!.IsBlocked("track:Viewed"));

        await _harness.Inventory.SetEventBlockedAsync(StageHarness.Source, "track", "Viewed", true, CancellationToken.None);
        Assert.True(_harness.Flags.ForSource(StageHarness.Source)!.IsBlocked("track:Viewed"));
        Assert.True(new SchemaFlags(_harness.Schema).ForSource(StageHarness.Source)!.IsBlocked("track:Viewed"));
    }

    [Fact]
    public async Task ASourcesStoredEventsStopAtTheLimitWhileOthersKeepGrowing()
    {
        using var harness = new StageHarness(new ProtocolsProcessingOptions { MaxEventsPerSource = 2 });
        await harness.RunAsync(Named("A"), Named("B"));
        await harness.Flusher.FlushAsync(CancellationToken.None);

        // A new observer (as after a restart) does not know what is stored; the store keeps the limit.
        var observer = new SchemaObserver(Options.Create(new ProtocolsProcessingOptions()));
        observer.Count(StageHarness.Source, "track:C", StageHarness.Now);
        observer.Count(StageHarness.Source, "track:A", StageHarness.Now);
        await harness.Schema.WriteAsync(observer.Drain(), 2, 300, CancellationToken.None);

        var events = await harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None);
        Assert.Equal(["A", "B"], events.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, events.Single(e => e.Name == "A").Volume1Day);
    }

    [Fact]
    public async Task ObservationsSplitAcrossWritesAreStoredWhicheverPartComesAlone()
    {
        using var document = JsonDocument.Parse("""{"type":"track","properties":{"a":1}}""");
        _harness.Observer.Count(StageHarness.Source, "track:Split", StageHarness.Now);
        await _harness.Flusher.FlushAsync(CancellationToken.None);

        _harness.Observer.Observe(StageHarness.Source, "track:Split", document.RootElement, StageHarness.Now.AddSeconds(5));
        _harness.Observer.CountBlocked(StageHarness.Source, "track:Blocked Only", BlockReasons.Unplanned, StageHarness.Now);
        _harness.Observer.CountRemoved(StageHarness.Source, "track:Never Counted", "properties.x");
        await _harness.Flusher.FlushAsync(CancellationToken.None);

        var events = await _harness.Inventory.ListAsync(StageHarness.Source, CancellationToken.None);
        Assert.Equal(["Blocked Only", "Split"], events.Select(e => e.Name).Order(StringComparer.Ordinal));
        var split = events.Single(e => e.Name == "Split");
        Assert.Equal(("properties.a", StageHarness.Now, StageHarness.Now.AddSeconds(5)), (Assert.Single(split.Properties).Path, split.FirstSeen, split.LastSeen));
        Assert.Equal((0L, 1L), (events.Single(e => e.Name == "Blocked Only").Volume30Days, events.Single(e => e.Name == "Blocked Only").Blocked30Days));
    }

    private static LogEntry At(DateTimeOffset at) =>
        Event("""{"type":"track","event":"Signed Up","userId":"u1"}""", at);

    private static LogEntry Named(string name) =>
        Event($$"""{"type":"track","event":"{{name}}","userId":"u1"}""", StageHarness.Now);

    private static LogEntry Event(string json, DateTimeOffset at) => StageHarness.Entry(json, at: at);

    public void Dispose() => _harness.Dispose();
}
