using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Junction.Testing;
using Junction.Workspace.Catalog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Destinations.Tests.Delivery.Journal;

/// <summary>A journal on a temporary <c>delivery.db</c> with a fake clock, a recording queue and the query services.</summary>
internal sealed class JournalHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private bool _started;

    public JournalHarness(Action<DeliveryJournalOptions>? configure = null)
    {
        configure?.Invoke(Options);
        Store = new JournalStore(Path.Combine(_directory.Path, "delivery.db"));
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Journal = new DeliveryJournal(Store, Counter, options, Time, NullLogger<DeliveryJournal>.Instance);
        Flusher = new DeliveryMetricsFlusher(Counter, Store, options, Time, NullLogger<DeliveryMetricsFlusher>.Instance);
        Retention = new JournalRetention(Store, options, Time, NullLogger<JournalRetention>.Instance);
        Traces = new TraceQuery(Store);
        DeadLetters = new DeadLetterQuery(Store, Queues, Journal, Time);
        Metrics = new DeliveryMetricsQuery(Store, Flusher);
    }

    public DeliveryJournalOptions Options { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public JournalStore Store { get; }

    public DeliveryMetricsCounter Counter { get; } = new();

    public DeliveryJournal Journal { get; }

    public DeliveryMetricsFlusher Flusher { get; }

    public JournalRetention Retention { get; }

    public RecordingQueues Queues { get; } = new();

    public TraceQuery Traces { get; }

    public DeadLetterQuery DeadLetters { get; }

    public DeliveryMetricsQuery Metrics { get; }

    public static async Task<JournalHarness> StartAsync(Action<DeliveryJournalOptions>? configure = null)
    {
        var harness = new JournalHarness(configure);
        await harness.StartWriterAsync();
        return harness;
    }

    public async Task StartWriterAsync()
    {
        await Journal.StartAsync(CancellationToken.None);
        _started = true;
    }

    /// <summary>Waits until every reported step is written and every count is stored.</summary>
    public async Task FlushAsync()
    {
        await Journal.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await Flusher.FlushAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Journal.StopAsync(CancellationToken.None);
        }

        Journal.Dispose();
        Flusher.Dispose();
        Retention.Dispose();
        DeadLetters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

/// <summary>Builds records and steps the way the fan-out and the router report them.</summary>
internal static class Steps
{
    public const string Source = "src_web";
    public const string Destination = "dst_amplitude";
    public const string Subscription = "sub_track";

    public static DeliveryRecord Record(string messageId, DateTimeOffset receivedAt, string destinationId = Destination, string subscriptionId = Subscription, JsonObject? payload = null) =>
        new(
            destinationId,
            subscriptionId,
            "logEvent",
            Source,
            messageId,
            "user-1",
            receivedAt,
            payload ?? new JsonObject { ["event_type"] = "Order Completed", ["user_id"] = "user-1" },
            JsonDocument.Parse($$"""{"type":"track","event":"Order Completed","messageId":"{{messageId}}","userId":"user-1"}""").RootElement.Clone());

    public static DeliveryStep Queued(DeliveryRecord record, DateTimeOffset at) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Queued, at, Record: record);

    public static DeliveryStep Filtered(string messageId, DateTimeOffset at, string reason, string destinationId = Destination) =>
        new(destinationId, Source, messageId, null, DeliveryState.Filtered, at, Reason: reason);

    public static DeliveryStep Retrying(string messageId, DateTimeOffset at, int attempt, int status, string response, string destinationId = Destination) =>
        new(destinationId, Source, messageId, Subscription, DeliveryState.Retrying, at, $"HTTP {status}, retried", attempt, status, response, TimeSpan.FromMilliseconds(120));

    public static DeliveryStep Delivered(DeliveryRecord record, DateTimeOffset at, int attempt = 1) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Delivered, at, null, attempt, 200, "{\"code\":200}", TimeSpan.FromMilliseconds(80), record);

    public static DeliveryStep Aborted(DeliveryRecord record, DateTimeOffset at, int status = 400, string response = "{\"error\":\"invalid api_key\"}") =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Aborted, at, $"HTTP {status}, not retried", 1, status, response, TimeSpan.FromMilliseconds(50), record);

    public static DeliveryStep Expired(DeliveryRecord record, DateTimeOffset at, int status = 503) =>
        new(record.DestinationId, record.SourceId, record.MessageId, record.SubscriptionId, DeliveryState.Expired, at, "Still failing after 4 hours", 12, status, "Service Unavailable", TimeSpan.FromSeconds(10), record);
}

/// <summary>An <see cref="IDeliveryQueues"/> that records what it is given and answers stored, or unavailable when told to.</summary>
internal sealed class RecordingQueues : IDeliveryQueues
{
    private readonly Lock _lock = new();

    public List<(string DestinationId, DeliveryRecord Record)> Enqueued { get; } = [];

    public bool Unavailable { get; set; }

    public ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Unavailable)
            {
                return ValueTask.FromResult(records.Select(_ => new AppendResult(AppendStatus.Unavailable, -1, default)).ToArray());
            }

            Enqueued.AddRange(records.Select(r => (destinationId, r)));
            return ValueTask.FromResult(records.Select(_ => new AppendResult(AppendStatus.Stored, 0, default)).ToArray());
        }
    }
}

/// <summary>A fixed <see cref="IDestinationDirectory"/>.</summary>
internal sealed class TestDestinationDirectory : IDestinationDirectory
{
    private readonly Dictionary<string, DestinationInstance> _byId = new(StringComparer.Ordinal);

    public Task Changed { get; } = new TaskCompletionSource().Task;

    public DestinationInstance Add(string id, string workspaceId, string sourceId, string name = "Amplitude")
    {
        var instance = new DestinationInstance(
            id, workspaceId, sourceId, name, new FakeDestination(), true, [], [], Junction.Fql.DestinationFilterSet.Compile([]), 1);
        _byId[id] = instance;
        return instance;
    }

    public IReadOnlyList<DestinationInstance> ForSource(string sourceId) => _byId.Values.Where(d => d.SourceId == sourceId).ToList();

    public IReadOnlyList<DestinationInstance> All() => _byId.Values.ToList();

    public DestinationInstance? Find(string destinationId) => _byId.GetValueOrDefault(destinationId);

    private sealed class FakeDestination : IDestination
    {
        public DestinationDefinition Definition { get; } = new(
            "5f7dd6d21ad74f3842b1fc47", "actions-amplitude", "Amplitude (Actions)", "Product analytics.", [DestinationCategories.Analytics],
            "https://amplitude.com", new SourceBadge("A", "#1E61F0"), [], [], [], "https://api2.amplitude.com");

        public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SendResult.Ok());
    }
}
