namespace Junction.Warehouses.Syncing;

/// <summary>How a sync of one source into one warehouse ended (Segment's sync statuses, plus one still running).</summary>
internal enum SyncStatus
{
    /// <summary>Still loading.</summary>
    Running,

    /// <summary>Everything staged was loaded (possibly nothing).</summary>
    Success,

    /// <summary>Some rows loaded, with notices (values discarded, a later chunk failed).</summary>
    Partial,

    /// <summary>Nothing loaded; the notices say why. It is retried with back-off.</summary>
    Failure,
}

/// <summary>A notice on a sync: a warning (values discarded) or an error (with the warehouse's own SQL error text).</summary>
internal sealed record SyncNotice(string Level, string Message, DateTimeOffset CreatedAt);

/// <summary>
/// One sync of one source into one warehouse, as kept in the sync history.
/// </summary>
/// <param name="Id">The sync's id.</param>
/// <param name="WarehouseId">The warehouse.</param>
/// <param name="SourceId">The source.</param>
/// <param name="Trigger"><c>schedule</c>, <c>manual</c> ("sync now") or <c>retry</c>.</param>
/// <param name="Start">When it started.</param>
/// <param name="End">When it ended (null while running).</param>
/// <param name="Status">How it ended.</param>
/// <param name="Rows">Rows written in all tables.</param>
/// <param name="RowsByTable">Rows written per table.</param>
/// <param name="Notices">Warnings and errors.</param>
internal sealed record SyncRecord(
    string Id,
    string WarehouseId,
    string SourceId,
    string Trigger,
    DateTimeOffset Start,
    DateTimeOffset? End,
    SyncStatus Status,
    long Rows,
    IReadOnlyDictionary<string, long> RowsByTable,
    IReadOnlyList<SyncNotice> Notices);

/// <summary>The sync history and the "sync now" button, for the Public API and the app.</summary>
internal interface IWarehouseSyncs
{
    /// <summary>Syncs of a warehouse (optionally of one source), newest first.</summary>
    Task<IReadOnlyList<SyncRecord>> ListAsync(string warehouseId, string? sourceId, int offset, int count, CancellationToken cancellationToken);

    /// <summary>How many syncs <see cref="ListAsync"/> can return.</summary>
    Task<int> CountAsync(string warehouseId, string? sourceId, CancellationToken cancellationToken);

    /// <summary>Asks for a sync of the warehouse now (all its sources); returns at once. False when the warehouse is unknown or disabled.</summary>
    bool SyncNow(string warehouseId);
}
