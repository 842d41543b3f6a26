using Junction.EventLog;

namespace Junction.Events;

/// <summary>
/// A step the processor runs on the accepted events of each read (after dedupe) before handing them to the fan-outs:
/// Protocols (schema observation, transformations, tracking-plan checks and blocking). It answers the events to hand
/// on, in order: the same entry when unchanged, an entry with a new payload when changed, none when dropped. It must
/// record what it dropped before it returns; if it throws, the processor processes the events again.
/// </summary>
internal interface IEventStage
{
    ValueTask<IReadOnlyList<LogEntry>> ProcessAsync(IReadOnlyList<LogEntry> accepted, CancellationToken cancellationToken);
}
