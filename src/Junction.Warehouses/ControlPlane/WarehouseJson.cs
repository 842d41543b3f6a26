using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Junction.Warehouses.Syncing;
using Microsoft.AspNetCore.Http;

namespace Junction.Warehouses.ControlPlane;

/// <summary>A kind of warehouse as the Public API shows it (Segment's <c>WarehouseMetadataV1</c>).</summary>
internal sealed record WarehouseMetadataV1(string Id, string Name, string Slug, string Description, WarehouseLogosV1 Logos, IReadOnlyList<WarehouseOptionV1> Options)
{
    public static WarehouseMetadataV1 From(WarehouseKind kind, HttpRequest request) => new(
        kind.Id,
        kind.Name,
        kind.Slug,
        kind.Description,
        new WarehouseLogosV1(WarehouseLogos.UrlFor(request, kind)),
        kind.Options.Select(WarehouseOptionV1.From).ToList());
}

/// <summary>Logo URLs; Junction draws one logo per kind, so only <c>default</c> is set.</summary>
internal sealed record WarehouseLogosV1(string Default);

/// <summary>A connection setting (Segment's <c>IntegrationOptionBeta</c>), with <c>choices</c> added for a select so that a form can offer them.</summary>
internal sealed record WarehouseOptionV1(
    string Name,
    string Type,
    bool Required,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? DefaultValue,
    string Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Choices)
{
    public static WarehouseOptionV1 From(WarehouseOption option) =>
        new(option.Name, option.Type, option.Required, option.Description, option.DefaultValue?.DeepClone(), option.Label, option.Choices);
}

/// <summary>
/// A warehouse as the Public API shows it (Segment's <c>WarehouseV1</c>). As in Segment, <c>settings</c> holds the
/// warehouse's <c>name</c> next to its connection settings (secrets masked); Junction adds <c>schemaFrozen</c> there,
/// so that Segment's clients, which read and send only <c>settings</c>, see and change it. The same three values are
/// also top-level fields, with the sync interval and the creation and change times.
/// </summary>
internal sealed record WarehouseV1(
    string Id,
    WarehouseMetadataV1 Metadata,
    string WorkspaceId,
    bool Enabled,
    JsonObject Settings,
    string Name,
    bool SchemaFrozen,
    int SyncIntervalSeconds,
    string CreatedAt,
    string UpdatedAt)
{
    public static WarehouseV1 From(WarehouseView warehouse, HttpRequest request)
    {
        var settings = new JsonObject
        {
            [WarehouseSettings.NameKey] = warehouse.Name,
            [WarehouseSettings.SchemaFrozenKey] = warehouse.SchemaFrozen,
        };
        foreach (var (key, value) in warehouse.Settings)
        {
            settings[key] = value?.DeepClone();
        }

        return new WarehouseV1(
            warehouse.Id,
            WarehouseMetadataV1.From(warehouse.Kind, request),
            warehouse.WorkspaceId,
            warehouse.Enabled,
            settings,
            warehouse.Name,
            warehouse.SchemaFrozen,
            warehouse.SyncIntervalSeconds,
            Iso(warehouse.CreatedAt),
            Iso(warehouse.UpdatedAt));
    }

    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// One sync of one source into a warehouse (Segment's <c>SyncV1</c>): <c>duration</c> in seconds (so far, while
/// running), <c>count</c> the rows written. <c>status</c> is <c>SUCCESS</c>, <c>PARTIAL</c>, <c>FAILED</c> or
/// <c>RUNNING</c>. Junction adds the sync's <c>id</c>, its <c>trigger</c> and <c>rowsByTable</c>.
/// </summary>
internal sealed record SyncV1(
    string SourceId,
    string Start,
    string? End,
    string Status,
    double Duration,
    string HumanDuration,
    long Count,
    IReadOnlyList<SyncNoticeV1> Notices,
    string Id,
    string Trigger,
    IReadOnlyDictionary<string, long> RowsByTable)
{
    public static SyncV1 From(SyncRecord sync, DateTimeOffset now)
    {
        var duration = (sync.End ?? now) - sync.Start;
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return new SyncV1(
            sync.SourceId,
            WarehouseV1.Iso(sync.Start),
            sync.End is { } end ? WarehouseV1.Iso(end) : null,
            StatusName(sync.Status),
            Math.Round(duration.TotalSeconds, 3),
            Human(duration),
            sync.Rows,
            sync.Notices.Select(n => new SyncNoticeV1(n.Level, n.Message, WarehouseV1.Iso(n.CreatedAt))).ToList(),
            sync.Id,
            sync.Trigger,
            sync.RowsByTable);
    }

    public static string StatusName(SyncStatus status) => status switch
    {
        SyncStatus.Success => "SUCCESS",
        SyncStatus.Partial => "PARTIAL",
        SyncStatus.Failure => "FAILED",
        _ => "RUNNING",
    };

    /// <summary>A duration for people: <c>850ms</c>, <c>12s</c>, <c>3m 5s</c>, <c>1h 2m</c>.</summary>
    public static string Human(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return ((int)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var text = new StringBuilder();
        void Part(long value, string unit)
        {
            if (value > 0)
            {
                text.Append(text.Length > 0 ? " " : "").Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part((long)duration.TotalHours, "h");
        Part(duration.Minutes, "m");
        Part(duration.Seconds, "s");
        return text.ToString();
    }
}

/// <summary>A notice on a sync (Segment's <c>SyncNoticeV1</c>).</summary>
internal sealed record SyncNoticeV1(string Level, string Message, string CreatedAt);
