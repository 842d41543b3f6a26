namespace Junction.Protocols.Observation;

/// <summary>
/// One event a source has sent, as the schema view shows it: by type and name (the event name for track, the page or
/// screen name, empty for identify and group), when it was first and last seen, its volume over the last 1, 7 and 30
/// days, whether it is blocked (dropped by the processor, counted) or archived (hidden), and its properties (or traits).
/// </summary>
internal sealed record ObservedEvent(
    string SourceId,
    string Type,
    string Name,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Volume1Day,
    long Volume7Days,
    long Volume30Days,
    long Blocked30Days,
    bool IsBlocked,
    bool IsArchived,
    IReadOnlyList<ObservedProperty> Properties);

/// <summary>
/// One property (or trait) path seen on an event (<c>properties.price</c>, <c>properties.product.sku</c>,
/// <c>traits.email</c>), with the JSON types seen (<c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>,
/// <c>object</c>, <c>array</c>, <c>null</c>), first and last seen, and whether it is blocked (omitted by the processor).
/// </summary>
internal sealed record ObservedProperty(string Path, IReadOnlyList<string> Types, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool IsBlocked);

/// <summary>The schema view's data: what each source sends, and its allow/block and archive flags.</summary>
internal interface ISchemaInventory
{
    /// <summary>Every event a source has sent (archived ones too), with their properties.</summary>
    Task<IReadOnlyList<ObservedEvent>> ListAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>Blocks or allows an event of a source (type and name); blocked events are dropped by the processor and counted.</summary>
    Task SetEventBlockedAsync(string sourceId, string type, string name, bool blocked, CancellationToken cancellationToken);

    /// <summary>Archives (hides) or restores an event of a source.</summary>
    Task SetEventArchivedAsync(string sourceId, string type, string name, bool archived, CancellationToken cancellationToken);

    /// <summary>Blocks or allows one property path of an event of a source; a blocked property is removed from the event by the processor.</summary>
    Task SetPropertyBlockedAsync(string sourceId, string type, string name, string path, bool blocked, CancellationToken cancellationToken);
}
