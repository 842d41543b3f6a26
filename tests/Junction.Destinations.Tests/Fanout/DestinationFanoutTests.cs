using System.Text;
using Junction.Destinations.Fanout;
using Junction.Destinations.Framework;
using Junction.Destinations.Tests.Fakes;
using Junction.EventLog;
using Junction.Fql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Destinations.Tests.Fanout;

public sealed class DestinationFanoutTests
{
    private const string Source = "src-1";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnEventMatchingASubscriptionIsQueuedWithItsMappedPayloadAndTheQueuedStepIsReported()
    {
        var destination = TestInstances.Create("dest-1", Source, [TestInstances.Subscription("sub-1", "type = \"track\"", """{"name":{"@path":"$.event"},"total":{"@path":"$.properties.total"}}""")]);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"Order Completed","userId":"u1","messageId":"m1","properties":{"total":5}}""")], CancellationToken.None);

        var record = Assert.Single(queues.Of("dest-1"));
        Assert.Equal("""{"name":"Order Completed","total":5}""", record.Payload.ToJsonString());
        Assert.Equal(("sub-1", "send", "m1", "u1", Source), (record.SubscriptionId, record.ActionId, record.MessageId, record.UserKey, record.SourceId));
        Assert.Equal(ReceivedAt, record.ReceivedAt);
        var step = Assert.Single(journal.Steps);
        Assert.Equal(DeliveryState.Queued, step.State);
        Assert.Equal(record.MessageId, step.Record!.MessageId);
    }

    [Fact]
    public async Task AnEventNoTriggerMatchesIsReportedAsFilteredAtMappingAndNotQueued()
    {
        var destination = TestInstances.Create("dest-1", Source, [TestInstances.Subscription("sub-1", "type = \"track\"", """{"name":{"@path":"$.event"}}""")]);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync([Entry("""{"type":"identify","userId":"u1","messageId":"m1"}""")], CancellationToken.None);

        Assert.Empty(queues.Of("dest-1"));
        var step = Assert.Single(journal.Steps);
        Assert.Equal(DeliveryState.Filtered, step.State);
        Assert.StartsWith(DiscardReasons.NoMatchingSubscription, step.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"All":false}""", false)]
    [InlineData("""{"All":false,"Test Destination":true}""", true)]
    [InlineData("""{"All":false,"Test":{"option":1}}""", true)]
    [InlineData("""{"Test Destination":false}""", false)]
    [InlineData("""{"test destination":false}""", true)]
    [InlineData("""{"Mixpanel":false}""", true)]
    public async Task TheIntegrationsObjectTurnsTheDestinationOnOrOffByItsCaseSensitiveNames(string integrations, bool sent)
    {
        var destination = TestInstances.Create("dest-1", Source, [TestInstances.Classic("classic")]);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync([Entry($$"""{"type":"track","event":"A","userId":"u1","messageId":"m1","integrations":{{integrations}}}""")], CancellationToken.None);

        Assert.Equal(sent ? 1 : 0, queues.Of("dest-1").Count);
        if (!sent)
        {
            Assert.StartsWith(DiscardReasons.IntegrationsObject, Assert.Single(journal.Steps).Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FiltersRunBeforeTriggersAndMappingsSeeTheFilteredEvent()
    {
        DestinationFilter[] filters =
        [
            new() { Title = "No tests", If = "event = 'Test'", Actions = [new DestinationFilterAction { Type = "DROP" }] },
            new() { Title = "No email", If = "all", Actions = [new DestinationFilterAction { Type = "DROP_PROPERTIES", Fields = new Dictionary<string, IReadOnlyList<string>> { ["properties"] = ["email"] } }] },
        ];
        var destination = TestInstances.Create("dest-1", Source, [TestInstances.Subscription("sub-1", "type = \"track\"", """{"properties":{"@path":"$.properties"}}""")], filters);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync(
            [
                Entry("""{"type":"track","event":"Test","userId":"u1","messageId":"m1","properties":{}}"""),
                Entry("""{"type":"track","event":"Signed Up","userId":"u1","messageId":"m2","properties":{"email":"a@example.com","plan":"pro"}}"""),
            ],
            CancellationToken.None);

        var record = Assert.Single(queues.Of("dest-1"));
        Assert.Equal("m2", record.MessageId);
        Assert.Equal("""{"properties":{"plan":"pro"}}""", record.Payload.ToJsonString());
        Assert.False(record.Event.GetProperty("properties").TryGetProperty("email", out _));
        var dropped = journal.Steps.Single(s => s.MessageId == "m1");
        Assert.Equal(DeliveryState.Filtered, dropped.State);
        Assert.Contains("No tests", dropped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventMatchingTwoSubscriptionsIsQueuedOncePerSubscription()
    {
        var destination = TestInstances.Create("dest-1", Source,
        [
            TestInstances.Subscription("sub-a", "type = \"track\"", """{"a":{"@path":"$.event"}}"""),
            TestInstances.Subscription("sub-b", "event = \"Order Completed\"", """{"b":{"@path":"$.event"}}"""),
        ]);
        var (fanout, queues, _) = Build(destination);

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"Order Completed","anonymousId":"anon-1","messageId":"m1"}""")], CancellationToken.None);

        var records = queues.Of("dest-1");
        Assert.Equal(["sub-a", "sub-b"], records.Select(r => r.SubscriptionId));
        Assert.All(records, r => Assert.Equal("anon-1", r.UserKey));
    }

    [Fact]
    public async Task AClassicActionGetsTheWholeEventOfTheTypesItSupportsOnly()
    {
        var destination = TestInstances.Create("dest-1", Source, [TestInstances.Classic("classic")]);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync(
            [
                Entry("""{"type":"track","event":"A","userId":"u1","messageId":"m1","context":{"ip":"1.2.3.4"}}"""),
                Entry("""{"type":"page","name":"Home","userId":"u1","messageId":"m2"}"""),
            ],
            CancellationToken.None);

        var record = Assert.Single(queues.Of("dest-1"));
        Assert.Equal("1.2.3.4", record.Payload["context"]!["ip"]!.GetValue<string>());
        Assert.Equal(DeliveryState.Filtered, journal.Steps.Single(s => s.MessageId == "m2").State);
    }

    [Fact]
    public async Task EventsOfASourceWithoutDestinationsAreNotEvenParsed()
    {
        var (fanout, _, journal) = Build(TestInstances.Create("dest-1", "another-source", [TestInstances.Classic("classic")]));

        await fanout.FanOutAsync([Entry("not json at all")], CancellationToken.None);

        Assert.Empty(journal.Steps);
    }

    [Fact]
    public async Task WhenAQueueCannotStoreTheFanOutFailsSoTheProcessorDoesNotCommit()
    {
        var (fanout, queues, journal) = Build(TestInstances.Create("dest-1", Source, [TestInstances.Classic("classic")]));
        queues.Answer = AppendStatus.Full;

        await Assert.ThrowsAsync<IOException>(async () =>
            await fanout.FanOutAsync([Entry("""{"type":"track","event":"A","userId":"u1","messageId":"m1"}""")], CancellationToken.None));
        Assert.DoesNotContain(journal.Steps, s => s.State == DeliveryState.Queued);
    }

    [Fact]
    public async Task AnEventTheMappingCannotMapIsAbortedWithTheReasonAndOthersGoOn()
    {
        var destination = TestInstances.Create("dest-1", Source,
        [
            TestInstances.Subscription("sub-bad", "type = \"track\"", """{"text":{"@template":{"@path":"$.properties"}}}"""),
            TestInstances.Subscription("sub-good", "type = \"track\"", """{"event":{"@path":"$.event"}}"""),
        ]);
        var (fanout, queues, journal) = Build(destination);

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"A","userId":"u1","messageId":"m1","properties":{"x":1}}""")], CancellationToken.None);

        Assert.Equal("sub-good", Assert.Single(queues.Of("dest-1")).SubscriptionId);
        var aborted = journal.Steps.Single(s => s.State == DeliveryState.Aborted);
        Assert.Equal("sub-bad", aborted.SubscriptionId);
        Assert.Contains("could not map", aborted.Reason, StringComparison.Ordinal);
    }

    private static (DestinationFanout Fanout, MemoryQueues Queues, RecordingJournal Journal) Build(params DestinationInstance[] instances)
    {
        var queues = new MemoryQueues();
        var journal = new RecordingJournal();
        return (new DestinationFanout(new StaticDirectory(instances), queues, journal, TimeProvider.System, NullLogger<DestinationFanout>.Instance), queues, journal);
    }

    private static int _position;

    private static LogEntry Entry(string json)
    {
        var position = Interlocked.Increment(ref _position);
        return new LogEntry(0, new LogPosition(position), ReceivedAt, "u1", Source + ":m" + position, "", Encoding.UTF8.GetBytes(json));
    }
}
