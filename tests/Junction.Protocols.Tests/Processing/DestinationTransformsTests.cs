using System.Text;
using System.Text.Json;
using Junction.Destinations.Fanout;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Junction.Events;
using Junction.Fql;
using Junction.Protocols.Controls;
using Junction.Protocols.Processing;
using Junction.Protocols.Transformations;
using Junction.Workspace.Catalog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Protocols.Tests.Processing;

/// <summary>Destination-scoped transformations in the real fan-out: after the destination's filters, for that catalog destination only.</summary>
public sealed class DestinationTransformsTests
{
    private const string Source = StageHarness.Source;
    private readonly FakeDirectory _directory = new();
    private readonly Queues _queues = new();
    private readonly Journal _journal = new();

    [Fact]
    public async Task ATransformationScopedToADestinationChangesOnlyWhatThatCatalogDestinationGets()
    {
        var fanout = Fanout(Instance("dest-a", "catalog-a"), Instance("dest-a2", "catalog-a"), Instance("dest-b", "catalog-b"));
        Connect(StageHarness.Transformation("Rename for A", "event = 'signup'", newEventName: "Signed Up", destination: "catalog-a"));

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"signup","userId":"u1","messageId":"m1"}""")], CancellationToken.None);

        Assert.Equal("Signed Up", _queues.Single("dest-a").Payload["event"]!.GetValue<string>());
        Assert.Equal("Signed Up", _queues.Single("dest-a2").Event.GetProperty("event").GetString());
        Assert.Equal("signup", _queues.Single("dest-b").Payload["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheDestinationsFiltersSeeTheEventBeforeItsTransformations()
    {
        DestinationFilter[] filters = [new() { Title = "No renamed", If = "event = 'Signed Up'", Actions = [new DestinationFilterAction { Type = "DROP" }] }];
        var fanout = Fanout(Instance("dest-a", "catalog-a", filters));
        Connect(StageHarness.Transformation("Rename for A", "event = 'signup'", newEventName: "Signed Up", destination: "catalog-a"));

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"signup","userId":"u1","messageId":"m1"}""")], CancellationToken.None);

        Assert.Equal("Signed Up", _queues.Single("dest-a").Payload["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task ADroppingTransformationIsReportedAsFilteredWithItsName()
    {
        var fanout = Fanout(Instance("dest-a", "catalog-a"), Instance("dest-b", "catalog-b"));
        Connect(StageHarness.Transformation("No tests for A", "event = 'Test'", drop: true, destination: "catalog-a"));

        await fanout.FanOutAsync([Entry("""{"type":"track","event":"Test","userId":"u1","messageId":"m1"}""")], CancellationToken.None);

        Assert.Empty(_queues.Of("dest-a"));
        Assert.Single(_queues.Of("dest-b"));
        var step = Assert.Single(_journal.Steps, s => s.State == DeliveryState.Filtered);
        Assert.Equal("dest-a", step.DestinationId);
        Assert.StartsWith("FILTERED_BY_RULES", step.Reason, StringComparison.Ordinal);
        Assert.Contains("No tests for A", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingAppliesForAnotherCatalogDestinationOrAnotherSource()
    {
        var transforms = new ProtocolsDestinationTransforms(_directory);
        using var document = JsonDocument.Parse("""{"type":"track","event":"signup"}""");

        Assert.Equal(DestinationTransformOutcome.None, transforms.Apply(Source, "catalog-a", document.RootElement).Outcome);
        Connect(StageHarness.Transformation("Rename for B", "event = 'signup'", newEventName: "Signed Up", destination: "catalog-b"));
        Assert.Equal(DestinationTransformOutcome.None, transforms.Apply(Source, "catalog-a", document.RootElement).Outcome);
        Assert.Equal(DestinationTransformOutcome.None, transforms.Apply("src-other", "catalog-b", document.RootElement).Outcome);
    }

    private void Connect(params TransformationDefinition[] transformations) =>
        _directory.Set(new SourceProtocols(Source, null, null, null, SourceSchemaSettings.Default, [],
            transformations.GroupBy(t => t.DestinationMetadataId!).ToDictionary(
                g => g.Key, g => (IReadOnlyList<CompiledTransformation>)[.. g.Select(TransformationCompiler.Compile)])));

    private DestinationFanout Fanout(params DestinationInstance[] instances) =>
        new(new Directory(instances), _queues, _journal, TimeProvider.System, NullLogger<DestinationFanout>.Instance, new ProtocolsDestinationTransforms(_directory));

    private static DestinationInstance Instance(string id, string catalogId, IReadOnlyList<DestinationFilter>? filters = null)
    {
        var action = new ActionDefinition("send", "send", "Send", "Sends the whole event.", null, [], Classic: true, ClassicTypes: ["track"]);
        var definition = new DestinationDefinition(catalogId, catalogId, catalogId, "A test destination.", ["Raw Data"], "https://example.com",
            new SourceBadge("T", "#000000"), [], [action], [], "https://example.com");
        return new DestinationInstance(id, StageHarness.Workspace, Source, id, new NullDestination(definition), true, [],
            [new CompiledSubscription("sub-" + id, "Send", action, null, null)], DestinationFilterSet.Compile(filters ?? []), 1);
    }

    private static LogEntry Entry(string json) =>
        new(0, new LogPosition(1), StageHarness.Now, "u1", Source + ":m1", "", Encoding.UTF8.GetBytes(json));

    private sealed class NullDestination(DestinationDefinition definition) : IDestination
    {
        public DestinationDefinition Definition => definition;

        public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) => ValueTask.FromResult(SendResult.Ok());
    }

    private sealed class Directory(DestinationInstance[] instances) : IDestinationDirectory
    {
        public IReadOnlyList<DestinationInstance> ForSource(string sourceId) => [.. instances.Where(i => i.SourceId == sourceId)];

        public IReadOnlyList<DestinationInstance> All() => instances;

        public DestinationInstance? Find(string destinationId) => instances.FirstOrDefault(i => i.Id == destinationId);

        public Task Changed { get; } = new TaskCompletionSource().Task;
    }

    private sealed class Queues : IDeliveryQueues
    {
        private readonly List<DeliveryRecord> _records = [];

        public IReadOnlyList<DeliveryRecord> Of(string destinationId) => [.. _records.Where(r => r.DestinationId == destinationId)];

        public DeliveryRecord Single(string destinationId) => Assert.Single(Of(destinationId));

        public ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
        {
            _records.AddRange(records);
            return ValueTask.FromResult(records.Select((_, i) => new AppendResult(AppendStatus.Stored, 0, new LogPosition(i + 1))).ToArray());
        }
    }

    private sealed class Journal : IDeliveryJournal
    {
        public List<DeliveryStep> Steps { get; } = [];

        public void Report(DeliveryStep step) => Steps.Add(step);
    }
}
