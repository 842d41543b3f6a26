namespace Junction.Events;

/// <summary>
/// Something the processor waits for before it handles any event: a snapshot of the configuration its stages and
/// fan-outs read (destinations, warehouses, Protocols). Without the wait, the events a restart replays could be
/// processed against a configuration not loaded yet, and pass by the destinations they belong to.
/// </summary>
internal interface IProcessingGate
{
    /// <summary>Completes once the configuration is loaded.</summary>
    Task Ready { get; }
}
