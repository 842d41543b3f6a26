using Junction.EventLog;

namespace Junction.Events;

/// <summary>
/// What the processor hands every accepted event to (after dedupe), before it commits its position in the ingest log:
/// the fan-out to destinations and the warehouses' staging. An implementation returns once what it made of the events
/// is durable; if it throws, the processor does not commit and processes the events again (at-least-once).
/// </summary>
internal interface IEventFanout
{
    ValueTask FanOutAsync(IReadOnlyList<LogEntry> accepted, CancellationToken cancellationToken);
}
