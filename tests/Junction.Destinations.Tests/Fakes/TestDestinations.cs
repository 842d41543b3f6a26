using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Junction.Destinations.Framework;
using Junction.EventLog;
using Junction.Fql;
using Junction.Mapping;
using Junction.Subscriptions;
using Junction.Workspace.Catalog;

namespace Junction.Destinations.Tests.Fakes;

/// <summary>A destination for tests of the core: one mapped action and one classic action, sending nowhere.</summary>
internal sealed class NullDestination : IDestination
{
    public static readonly ActionDefinition Mapped = new("send", "send", "Send", "Sends the mapped payload.", "type = \"track\"", [], MaxBatchSize: 100);

    public static readonly ActionDefinition Classic = new("classic", "classic", "Classic", "The whole event.", null, [], Classic: true, ClassicTypes: ["track", "identify"]);

    public DestinationDefinition Definition { get; } = new(
        "test-destination", "test-destination", "Test Destination", "For tests.", [DestinationCategories.Other], "https://example.com",
        new SourceBadge("T", "#333333"), [], [Mapped, Classic], [], "http://127.0.0.1:9", IntegrationNames: ["Test"]);

    public ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SendResult.Ok());
}

/// <summary>Builds <see cref="DestinationInstance"/>s for tests from plain text: triggers, mappings and filters compiled as the control plane would.</summary>
internal static class TestInstances
{
    public static DestinationInstance Create(
        string id,
        string sourceId,
        IReadOnlyList<CompiledSubscription> subscriptions,
        IReadOnlyList<DestinationFilter>? filters = null,
        IDestination? destination = null,
        JsonObject? settings = null) =>
        new(id, "workspace-1", sourceId, id, destination ?? new NullDestination(), true, settings ?? [], subscriptions,
            DestinationFilterSet.Compile(filters ?? []), 1);

    public static CompiledSubscription Subscription(string id, string trigger, string mapping, ActionDefinition? action = null)
    {
        var parsed = Trigger.Parse(trigger);
        var compiled = CompiledMapping.Compile(mapping);
        if (!parsed.IsValid || !compiled.Succeeded)
        {
            throw new ArgumentException($"{parsed.Error} {string.Join("; ", compiled.Errors)}");
        }

        return new CompiledSubscription(id, id, action ?? NullDestination.Mapped, parsed.Trigger, compiled.Mapping);
    }

    public static CompiledSubscription Classic(string id) => new(id, id, NullDestination.Classic, null, null);
}

/// <summary>An <see cref="IDestinationDirectory"/> over a fixed list.</summary>
internal sealed class StaticDirectory(params DestinationInstance[] instances) : IDestinationDirectory
{
    public IReadOnlyList<DestinationInstance> ForSource(string sourceId) =>
        [.. instances.Where(i => i.Enabled && string.Equals(i.SourceId, sourceId, StringComparison.Ordinal))];

    public IReadOnlyList<DestinationInstance> All() => instances;

    public DestinationInstance? Find(string destinationId) => instances.FirstOrDefault(i => i.Id == destinationId);

    public Task Changed { get; } = new TaskCompletionSource().Task;
}

/// <summary>Queues that keep records in memory (encoded and decoded, as a real queue would) and answer as told.</summary>
internal sealed class MemoryQueues : IDeliveryQueues
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DeliveryRecord>> _queues = new(StringComparer.Ordinal);

    /// <summary>What every append answers; <see cref="AppendStatus.Stored"/> unless a test says otherwise.</summary>
    public AppendStatus Answer { get; set; } = AppendStatus.Stored;

    public IReadOnlyList<DeliveryRecord> Of(string destinationId) => _queues.TryGetValue(destinationId, out var queue) ? [.. queue] : [];

    public ValueTask<AppendResult[]> EnqueueAsync(string destinationId, IReadOnlyList<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        var queue = _queues.GetOrAdd(destinationId, _ => new ConcurrentQueue<DeliveryRecord>());
        var results = new AppendResult[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            if (Answer == AppendStatus.Stored)
            {
                queue.Enqueue(DeliveryRecord.Decode(records[i].Encode())!);
            }

            results[i] = new AppendResult(Answer, 0, default);
        }

        return ValueTask.FromResult(results);
    }
}

/// <summary>A journal that keeps every step.</summary>
internal sealed class RecordingJournal : IDeliveryJournal
{
    private readonly ConcurrentQueue<DeliveryStep> _steps = new();

    public IReadOnlyList<DeliveryStep> Steps => [.. _steps];

    public void Report(DeliveryStep step) => _steps.Enqueue(step);

    public IReadOnlyList<DeliveryStep> Of(DeliveryState state) => Steps.Where(s => s.State == state).ToList();

    /// <summary>The messageIds that reached a final state (delivered, aborted, expired), each once.</summary>
    public IReadOnlySet<string> Finished(string? destinationId = null) => Steps
        .Where(s => s.State is DeliveryState.Delivered or DeliveryState.Aborted or DeliveryState.Expired)
        .Where(s => destinationId is null || s.DestinationId == destinationId)
        .Select(s => s.MessageId)
        .ToHashSet(StringComparer.Ordinal);
}
