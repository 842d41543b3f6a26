using Junction.Destinations.Framework;

namespace Junction.Destinations.Delivery.Journal;

/// <summary>What happened to one event at one destination through one subscription, step by step.</summary>
/// <remarks>
/// <para><c>SubscriptionId</c>: The subscription, or null for steps taken before one was chosen (a filtered event).</para>
/// <para><c>FinalState</c>: The state of the latest step.</para>
/// </remarks>
internal sealed record DestinationTrace(string DestinationId, string? SubscriptionId, DeliveryState FinalState, IReadOnlyList<TraceStep> Steps);

/// <summary>
/// "Where is my event?": the traces of one messageId over every destination of a source, or at one destination, and
/// the latest steps at a destination. Used by the Public API and the app's pages alike.
/// </summary>
internal sealed class TraceQuery(JournalStore store)
{
    /// <summary>The most steps read for one messageId (a re-sent event that keeps failing adds a few per attempt).</summary>
    public const int MaxSteps = 2_000;

    /// <summary>The traces of an event over every destination of its source, one per destination and subscription.</summary>
    public async Task<IReadOnlyList<DestinationTrace>> ForMessageAsync(string sourceId, string messageId, CancellationToken cancellationToken) =>
        Group(await store.StepsOfMessageAsync(messageId, sourceId, null, MaxSteps, cancellationToken));

    /// <summary>The traces of an event at one destination (one per subscription); empty when the journal has none.</summary>
    public async Task<IReadOnlyList<DestinationTrace>> ForDestinationAsync(string destinationId, string messageId, CancellationToken cancellationToken) =>
        Group(await store.StepsOfMessageAsync(messageId, null, destinationId, MaxSteps, cancellationToken));

    /// <summary>The latest steps at a destination, newest first: the live view of a destination's deliveries.</summary>
    public Task<List<TraceStep>> RecentAsync(string destinationId, int count, CancellationToken cancellationToken) =>
        store.RecentStepsAsync(destinationId, Math.Clamp(count, 1, 1_000), cancellationToken);

    private static List<DestinationTrace> Group(List<TraceStep> steps) =>
        steps.GroupBy(s => (s.DestinationId, s.SubscriptionId))
            .Select(g => new DestinationTrace(g.Key.DestinationId, g.Key.SubscriptionId, g.Last().State, g.ToList()))
            .OrderBy(t => t.Steps[0].At)
            .ThenBy(t => t.DestinationId, StringComparer.Ordinal)
            .ToList();
}
