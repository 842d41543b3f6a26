using System.Text.Json;
using Junction.Protocols.Observation;
using Junction.Protocols.Processing;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Tests.Observation;

public sealed class SchemaObserverTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFirstEventsOfEachNameInAMinuteAreSampledThenOneInN()
    {
        var observer = new SchemaObserver(Options.Create(new ProtocolsProcessingOptions { SampleFirstPerMinute = 3, SampleOneIn = 10 }));

        var firstMinute = Enumerable.Range(0, 30).Select(i => observer.Count("src-1", "track:A", Minute.AddSeconds(i))).ToList();
        var otherName = observer.Count("src-1", "track:B", Minute);
        var nextMinute = Enumerable.Range(0, 3).Select(i => observer.Count("src-1", "track:A", Minute.AddMinutes(1).AddSeconds(i))).ToList();

        Assert.Equal([0, 1, 2, 9, 19, 29], firstMinute.Select((sampled, i) => (sampled, i)).Where(x => x.sampled).Select(x => x.i));
        Assert.True(otherName);
        Assert.All(nextMinute, Assert.True);
    }

    [Fact]
    public void PathsGoFourLevelsDeepWithArrayItemsAsDollarAndIntegersToldFromNumbers()
    {
        using var document = JsonDocument.Parse("""
            {"type":"track","properties":{"price":5,"ratio":0.5,"big":1e3,"tags":["a"],"a":{"b":{"c":{"d":{"e":1}}}},
             "products":[{"sku":"x","qty":1},{"sku":null}],"gift":false}}
            """);
        var paths = new Dictionary<string, JsonTypes>(StringComparer.Ordinal);

        SchemaPaths.Collect(document.RootElement, "track", paths, 300);

        Assert.Equal(JsonTypes.Integer, paths["properties.price"]);
        Assert.Equal(JsonTypes.Number, paths["properties.ratio"]);
        Assert.Equal(JsonTypes.Number, paths["properties.big"]);
        Assert.Equal(JsonTypes.Array, paths["properties.tags"]);
        Assert.Equal(JsonTypes.String, paths["properties.tags.$"]);
        Assert.Equal(JsonTypes.Object, paths["properties.a.b.c.d"]);
        Assert.False(paths.ContainsKey("properties.a.b.c.d.e"));
        Assert.Equal(JsonTypes.String | JsonTypes.Null, paths["properties.products.$.sku"]);
        Assert.Equal(["string", "null"], SchemaPaths.Names(paths["properties.products.$.sku"]));
        Assert.Equal(JsonTypes.Boolean, paths["properties.gift"]);
    }

    [Fact]
    public void IdentifyAndGroupCallsListTheirTraitsAndAliasNothing()
    {
        using var identify = JsonDocument.Parse("""{"type":"identify","traits":{"email":"a@example.com"},"properties":{"ignored":1}}""");
        using var alias = JsonDocument.Parse("""{"type":"alias","traits":{"email":"a@example.com"}}""");
        var paths = new Dictionary<string, JsonTypes>(StringComparer.Ordinal);

        SchemaPaths.Collect(identify.RootElement, "identify", paths, 300);
        SchemaPaths.Collect(alias.RootElement, "alias", paths, 300);

        Assert.Equal(["traits.email"], paths.Keys);
    }

    [Fact]
    public void ASourceWithTooManyEventNamesHasTheRestNeitherSampledNorDrainedForTheStore()
    {
        var observer = new SchemaObserver(Options.Create(new ProtocolsProcessingOptions { MaxEventsPerSource = 2 }));

        observer.Count("src-1", "track:A", Minute);
        observer.Count("src-1", "track:B", Minute);
        var sampled = observer.Count("src-1", "track:C", Minute);
        observer.Count("src-1", "track:D", Minute);
        observer.Count("src-2", "track:E", Minute);

        Assert.False(sampled);
        var drained = observer.Drain();
        Assert.Equal(["src-1 A 1", "src-1 B 1", "src-2 E 1"],
            drained.Events.OrderBy(e => e.SourceId, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => $"{e.SourceId} {e.Name} {e.Days.Sum(d => d.Total)}"));
    }

    [Fact]
    public void DrainingTakesEverythingOnceAndRestoringPutsItBack()
    {
        var observer = new SchemaObserver(Options.Create(new ProtocolsProcessingOptions()));
        using var document = JsonDocument.Parse("""{"type":"track","properties":{"a":1}}""");
        observer.Count("src-1", "track:A", Minute);
        observer.Observe("src-1", "track:A", document.RootElement, Minute);
        observer.CountBlocked("src-1", "track:A", BlockReasons.Unplanned, Minute);

        var first = observer.Drain();
        observer.Restore(first);
        var again = observer.Drain();
        var empty = observer.Drain();

        var observation = Assert.Single(again.Events);
        Assert.Equal(new DayCount(Minute.ToUnixTimeSeconds() / 86400, 1, 1), Assert.Single(observation.Days));
        Assert.Equal("properties.a", Assert.Single(observation.Paths).Path);
        Assert.Equal(1, Assert.Single(again.Blocked).Count);
        Assert.True(empty.IsEmpty);
    }

    [Fact]
    public async Task WhileEventsAreBlockedEveryDrainThatHoldsAnEventsBlockedCountHoldsItsReasonToo()
    {
        var observer = new SchemaObserver(Options.Create(new ProtocolsProcessingOptions()));
        const int Blocked = 200_000;
        var counting = Task.Run(() =>
        {
            for (var i = 0; i < Blocked; i++)
            {
                observer.CountBlocked("src-1", "track:Spam Sent", BlockReasons.EventSetting, Minute);
            }
        });

        long byEvent = 0, byReason = 0, drains = 0;
        bool done;
        do
        {
            // A drain begun after the counting ended is the last one needed.
            done = counting.IsCompleted;
            var batch = observer.Drain();
            byEvent += batch.Events.SelectMany(e => e.Days).Sum(d => d.Blocked);
            byReason += batch.Blocked.Sum(b => b.Count);
            drains++;
            Assert.True(byReason >= byEvent, $"after {drains} drains the event counted {byEvent} blocked but its reason only {byReason}");
        }
        while (!done);

        await counting;
        Assert.Equal(Blocked, byEvent);
        Assert.Equal(Blocked, byReason);
    }
}
