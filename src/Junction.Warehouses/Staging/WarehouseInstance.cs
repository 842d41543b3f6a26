using System.Text.Json.Nodes;

namespace Junction.Warehouses.Staging;

/// <summary>
/// One configured warehouse as the data plane sees it: its kind, its settings (secrets decrypted), its schedule and
/// the sources connected to it with their selective sync. Immutable: a change to the configuration makes a new instance.
/// </summary>
/// <param name="Id">The warehouse's id (the Public API's warehouse id).</param>
/// <param name="WorkspaceId">Its workspace.</param>
/// <param name="Kind">The catalog slug of its kind: <c>duckdb</c> or <c>postgres</c>.</param>
/// <param name="Name">Its name in the workspace.</param>
/// <param name="Enabled">Whether events are staged for it and synced.</param>
/// <param name="Settings">Its connection settings, secrets decrypted (a DuckDB warehouse's <c>path</c> is already resolved to a full path).</param>
/// <param name="Schedule">When it syncs.</param>
/// <param name="SchemaFrozen">When true, loads add no tables or columns: values for columns that do not exist go to <c>junction_discards</c>.</param>
/// <param name="Sources">The sources connected to it.</param>
/// <param name="Version">Changes whenever the configuration changes.</param>
internal sealed record WarehouseInstance(
    string Id,
    string WorkspaceId,
    string Kind,
    string Name,
    bool Enabled,
    JsonObject Settings,
    SyncSchedule Schedule,
    bool SchemaFrozen,
    IReadOnlyList<ConnectedSource> Sources,
    long Version)
{
    /// <summary>The connection of a source, or null when the source is not connected.</summary>
    public ConnectedSource? Source(string sourceId) => Sources.FirstOrDefault(s => s.SourceId == sourceId);
}

/// <summary>
/// A source connected to a warehouse: the schema its events load into (the source's slug in snake_case) and what
/// selective sync turned off.
/// </summary>
internal sealed record ConnectedSource(string SourceId, string SchemaName, SelectiveSync Selection);

/// <summary>
/// Selective sync for one source: tables (Segment's "collections") and columns ("properties") turned off. Everything
/// not listed loads. Turning a table off stops loading it; what was loaded stays.
/// </summary>
internal sealed record SelectiveSync(IReadOnlySet<string> DisabledTables, IReadOnlyDictionary<string, IReadOnlySet<string>> DisabledColumns)
{
    public static SelectiveSync All { get; } = new(new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal));

    public bool TableEnabled(string table) => !DisabledTables.Contains(table);

    public bool ColumnEnabled(string table, string column) =>
        !DisabledColumns.TryGetValue(table, out var columns) || !columns.Contains(column);
}

/// <summary>
/// When a warehouse syncs: every <paramref name="Interval"/> (one minute to one day), or, with an advanced schedule,
/// at the top of each enabled hour of the day in <paramref name="TimeZone"/> (Segment's "advanced sync schedule").
/// </summary>
internal sealed record SyncSchedule(TimeSpan Interval, IReadOnlySet<int>? Hours = null, string TimeZone = ControlPlane.WarehouseSchedules.DefaultTimeZone);

/// <summary>The current warehouses, for staging and syncing. Implemented over the control plane with an in-memory snapshot.</summary>
internal interface IWarehouseDirectory
{
    /// <summary>The enabled warehouses a source is connected to (empty when none). Cheap: called per event.</summary>
    IReadOnlyList<WarehouseInstance> ForSource(string sourceId);

    /// <summary>Every warehouse, enabled or not.</summary>
    IReadOnlyList<WarehouseInstance> All();

    /// <summary>One warehouse by id, or null.</summary>
    WarehouseInstance? Find(string warehouseId);
}
