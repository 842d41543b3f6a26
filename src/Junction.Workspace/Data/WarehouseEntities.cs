namespace Junction.Workspace.Data;

/// <summary>
/// A warehouse of a workspace: a DuckDB file or a PostgreSQL database that the events of its connected sources are
/// loaded into, in Segment's warehouse schema. Its rules (settings per kind, secrets, schedules) live in
/// Junction.Warehouses' control plane; this is only what is stored.
/// </summary>
internal sealed class WarehouseEntity
{
    public required string Id { get; set; }

    public required string WorkspaceId { get; set; }

    /// <summary>The warehouses catalog slug of its kind: <c>duckdb</c> or <c>postgres</c>.</summary>
    public required string Kind { get; set; }

    public required string Name { get; set; }

    public bool Enabled { get; set; }

    /// <summary>
    /// Connection settings as a JSON object. A secret (a password) is stored encrypted by <c>SecretProtector</c>, as
    /// <c>{"$protected": "…"}</c>, never in clear.
    /// </summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>How often it syncs when no advanced schedule is on, in seconds (60 to 86,400).</summary>
    public int SyncIntervalSeconds { get; set; } = 300;

    /// <summary>Whether the advanced schedule (<see cref="ScheduleHours"/> in <see cref="ScheduleTimeZone"/>) replaces the interval.</summary>
    public bool ScheduleEnabled { get; set; }

    /// <summary>
    /// The hours of the day (0 to 23) the advanced schedule syncs at, comma-separated in ascending order (<c>0,6,12</c>);
    /// null when no advanced schedule was ever given. Kept while the schedule is off, so that turning it on again
    /// restores it.
    /// </summary>
    public string? ScheduleHours { get; set; }

    /// <summary>The tz database name the advanced schedule's hours are in (<c>Europe/Paris</c>), or null with no schedule.</summary>
    public string? ScheduleTimeZone { get; set; }

    /// <summary>When true, loads add no tables or columns: values without a column are kept aside as discards.</summary>
    public bool SchemaFrozen { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A source connected to a warehouse: its events are staged for the warehouse and loaded by each sync.</summary>
internal sealed class WarehouseSourceEntity
{
    public required string WarehouseId { get; set; }

    /// <summary>The source, of the same workspace; deleting either side deletes the connection.</summary>
    public required string SourceId { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }
}

/// <summary>
/// One selective sync choice for a connected source (Segment's sync override): a table ("collection") or one of its
/// columns ("property") turned off or back on. What has no choice loads. Deleting the connection deletes its choices.
/// </summary>
internal sealed class WarehouseSelectiveSyncEntity
{
    public required string Id { get; set; }

    public required string WarehouseId { get; set; }

    public required string SourceId { get; set; }

    /// <summary>The table, as named in the warehouse (<c>tracks</c>, <c>order_completed</c>).</summary>
    public required string Collection { get; set; }

    /// <summary>The column, as named in the warehouse; null when the choice is about the whole table.</summary>
    public string? Property { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
