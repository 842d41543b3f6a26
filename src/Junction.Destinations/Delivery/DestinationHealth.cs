using System.Collections.Concurrent;

namespace Junction.Destinations.Delivery;

/// <summary>How delivery to one destination is going.</summary>
internal enum DeliveryHealthState
{
    /// <summary>Sends succeed (or nothing has been sent yet).</summary>
    Active,

    /// <summary>The latest sends failed with a retryable answer; events are being retried with back-off.</summary>
    Retrying,

    /// <summary>Sends have failed without a break for <see cref="DeliveryOptions.PauseAfter"/>; only one probe batch is sent at a growing interval.</summary>
    Paused,
}

/// <summary>The last failed send to a destination.</summary>
/// <param name="At">When it was answered.</param>
/// <param name="Status">The tool's HTTP status, 0 when there was no answer.</param>
/// <param name="Message">The start of the answer, or what went wrong when there was none.</param>
internal sealed record DeliveryError(DateTimeOffset At, int Status, string Message);

/// <summary>Delivery to one destination, for the app and <c>/health</c>.</summary>
/// <param name="DestinationId">The destination.</param>
/// <param name="State">Active, retrying or paused.</param>
/// <param name="FailingSince">When the current run of failed sends began, or null.</param>
/// <param name="LastDeliveredAt">When the tool last took a send.</param>
/// <param name="LastError">The last failed send, kept after recovery for reference.</param>
/// <param name="NextProbeAt">While paused: when the next probe may go.</param>
/// <param name="InMemory">Events read from the queue and not yet finished (sending or waiting for a retry).</param>
internal sealed record DestinationHealthReport(
    string DestinationId,
    DeliveryHealthState State,
    DateTimeOffset? FailingSince,
    DateTimeOffset? LastDeliveredAt,
    DeliveryError? LastError,
    DateTimeOffset? NextProbeAt,
    int InMemory);

/// <summary>The delivery state of every destination the router runs.</summary>
internal sealed class DestinationHealth
{
    private readonly ConcurrentDictionary<string, DestinationState> _states = new(StringComparer.Ordinal);

    /// <summary>One destination's delivery state, or null when the router does not run it.</summary>
    public DestinationHealthReport? Get(string destinationId) =>
        _states.TryGetValue(destinationId, out var state) ? state.Report() : null;

    /// <summary>Every destination the router runs, by id.</summary>
    public IReadOnlyList<DestinationHealthReport> All() =>
        _states.Values.Select(s => s.Report()).OrderBy(r => r.DestinationId, StringComparer.Ordinal).ToList();

    internal void Add(DestinationState state) => _states[state.DestinationId] = state;

    internal void Remove(string destinationId) => _states.TryRemove(destinationId, out _);
}
