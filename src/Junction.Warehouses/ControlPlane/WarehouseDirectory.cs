using System.Collections.Frozen;
using System.IO.Hashing;
using System.Text;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Staging;
using Junction.Workspace;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.ControlPlane;

/// <summary>What access decisions need about a warehouse: whose it is and what it is called.</summary>
internal sealed record WarehouseInfo(string Id, string WorkspaceId, string Name, string Kind);

/// <summary>
/// An in-memory snapshot of every warehouse as the data plane uses it (<see cref="WarehouseInstance"/>: settings
/// decrypted, a DuckDB path resolved to a full path, each connected source with its schema name and selective sync),
/// indexed by source so that <see cref="ForSource"/> is one dictionary lookup per event. The control plane reloads it
/// after every change it saves; it is also reloaded every few seconds, so that changes made elsewhere (a source deleted
/// with its connections, another process) are seen. Access decisions read <see cref="FindInfo"/>, never the database.
/// </summary>
internal sealed partial class WarehouseDirectory(
    IDbContextFactory<JunctionDbContext> contexts,
    WarehouseCatalog catalog,
    WarehouseSettings settings,
    TimeProvider time,
    ILogger<WarehouseDirectory> logger) : PolledSnapshot(time, logger), IWarehouseDirectory
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public IReadOnlyList<WarehouseInstance> ForSource(string sourceId) =>
        _snapshot.BySource.TryGetValue(sourceId, out var instances) ? instances : [];

    public IReadOnlyList<WarehouseInstance> All() => _snapshot.All;

    public WarehouseInstance? Find(string warehouseId) => _snapshot.Instances.GetValueOrDefault(warehouseId);

    /// <summary>Who a warehouse belongs to, including one whose kind is no longer in the catalog.</summary>
    public WarehouseInfo? FindInfo(string warehouseId) => _snapshot.Infos.GetValueOrDefault(warehouseId);

    protected override string What => "warehouses";

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var warehouses = await db.Warehouses.AsNoTracking().OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(cancellationToken);
        var connections = (await db.WarehouseSources.AsNoTracking().OrderBy(c => c.ConnectedAt).ThenBy(c => c.SourceId).ToListAsync(cancellationToken))
            .ToLookup(c => c.WarehouseId, StringComparer.Ordinal);
        var overrides = (await db.WarehouseSelectiveSyncs.AsNoTracking().Where(s => !s.Enabled).ToListAsync(cancellationToken))
            .ToLookup(s => (s.WarehouseId, s.SourceId));
        var connected = connections.SelectMany(c => c).Select(c => c.SourceId).Distinct().ToList();
        var slugs = await db.Sources.AsNoTracking().Where(s => connected.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Slug, StringComparer.Ordinal, cancellationToken);

        var versions = warehouses.ToDictionary(
            w => w.Id, w => Version(w, connections[w.Id], slugs, overrides), StringComparer.Ordinal);
        var fingerprint = Fingerprint(versions);
        if (fingerprint == _snapshot.Fingerprint && !ReferenceEquals(_snapshot, Snapshot.Empty))
        {
            return;
        }

        var infos = new Dictionary<string, WarehouseInfo>(StringComparer.Ordinal);
        var instances = new Dictionary<string, WarehouseInstance>(StringComparer.Ordinal);
        foreach (var warehouse in warehouses)
        {
            infos[warehouse.Id] = new WarehouseInfo(warehouse.Id, warehouse.WorkspaceId, warehouse.Name, warehouse.Kind);
            if (catalog.FindBySlug(warehouse.Kind) is { } kind)
            {
                var sources = connections[warehouse.Id]
                    .Where(c => slugs.ContainsKey(c.SourceId))
                    .Select(c => new ConnectedSource(c.SourceId, WarehouseNames.Schema(slugs[c.SourceId]), Selection(overrides[(warehouse.Id, c.SourceId)])))
                    .ToList();
                instances[warehouse.Id] = new WarehouseInstance(
                    warehouse.Id,
                    warehouse.WorkspaceId,
                    warehouse.Kind,
                    warehouse.Name,
                    warehouse.Enabled,
                    settings.Resolved(kind, settings.Unprotect(warehouse.SettingsJson)),
                    Schedule(warehouse),
                    warehouse.SchemaFrozen,
                    sources,
                    versions[warehouse.Id]);
            }
            else
            {
                LogUnknownKind(logger, warehouse.Id, warehouse.Kind);
            }
        }

        var all = instances.Values.ToList();
        var bySource = all.Where(w => w.Enabled)
            .SelectMany(w => w.Sources.Select(s => (s.SourceId, Warehouse: w)))
            .GroupBy(p => p.SourceId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<WarehouseInstance>)g.Select(p => p.Warehouse).ToArray(), StringComparer.Ordinal);
        _snapshot = new Snapshot(
            infos.ToFrozenDictionary(StringComparer.Ordinal), instances.ToFrozenDictionary(StringComparer.Ordinal), bySource, all, fingerprint);
    }

    /// <summary>When a warehouse syncs: its advanced schedule when that is on, its interval otherwise.</summary>
    public static SyncSchedule Schedule(WarehouseEntity warehouse)
    {
        var interval = TimeSpan.FromSeconds(warehouse.SyncIntervalSeconds);
        return warehouse.ScheduleEnabled && WarehouseSchedules.ParseHours(warehouse.ScheduleHours) is { Count: > 0 } hours
            ? new SyncSchedule(interval, hours, warehouse.ScheduleTimeZone ?? WarehouseSchedules.DefaultTimeZone)
            : new SyncSchedule(interval);
    }

    /// <summary>The tables and columns turned off for one connected source.</summary>
    private static SelectiveSync Selection(IEnumerable<WarehouseSelectiveSyncEntity> disabled)
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var choice in disabled)
        {
            if (choice.Property is null)
            {
                tables.Add(choice.Collection);
            }
            else
            {
                if (!columns.TryGetValue(choice.Collection, out var set))
                {
                    columns[choice.Collection] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(choice.Property);
            }
        }

        return tables.Count == 0 && columns.Count == 0
            ? SelectiveSync.All
            : new SelectiveSync(tables, columns.ToDictionary(c => c.Key, c => (IReadOnlySet<string>)c.Value, StringComparer.Ordinal));
    }

    /// <summary>A hash of everything about one warehouse, so that any change to it changes its version.</summary>
    private static long Version(
        WarehouseEntity warehouse,
        IEnumerable<WarehouseSourceEntity> connections,
        Dictionary<string, string> slugs,
        ILookup<(string, string), WarehouseSelectiveSyncEntity> overrides)
    {
        var text = new StringBuilder()
            .Append(warehouse.Id).Append('\u001f').Append(warehouse.Kind).Append('\u001f').Append(warehouse.Name).Append('\u001f')
            .Append(warehouse.Enabled).Append('\u001f').Append(warehouse.SettingsJson).Append('\u001f').Append(warehouse.SyncIntervalSeconds)
            .Append('\u001f').Append(warehouse.ScheduleEnabled).Append('\u001f').Append(warehouse.ScheduleHours).Append('\u001f')
            .Append(warehouse.ScheduleTimeZone).Append('\u001f').Append(warehouse.SchemaFrozen);
        foreach (var connection in connections)
        {
            text.Append('\u001e').Append(connection.SourceId).Append('\u001f').Append(slugs.GetValueOrDefault(connection.SourceId));
            foreach (var choice in overrides[(warehouse.Id, connection.SourceId)].OrderBy(c => c.Collection, StringComparer.Ordinal)
                .ThenBy(c => c.Property, StringComparer.Ordinal))
            {
                text.Append('\u001d').Append(choice.Collection).Append('\u001f').Append(choice.Property);
            }
        }

        return (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static long Fingerprint(Dictionary<string, long> versions)
    {
        var text = new StringBuilder();
        foreach (var (id, version) in versions.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(id).Append(':').Append(version).Append(';');
        }

        return (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse {WarehouseId} is left out: its kind \"{Kind}\" is not in the warehouses catalog.")]
    private static partial void LogUnknownKind(ILogger logger, string warehouseId, string kind);

    private sealed record Snapshot(
        FrozenDictionary<string, WarehouseInfo> Infos,
        FrozenDictionary<string, WarehouseInstance> Instances,
        FrozenDictionary<string, IReadOnlyList<WarehouseInstance>> BySource,
        IReadOnlyList<WarehouseInstance> All,
        long Fingerprint)
    {
        public static readonly Snapshot Empty = new(
            FrozenDictionary<string, WarehouseInfo>.Empty,
            FrozenDictionary<string, WarehouseInstance>.Empty,
            FrozenDictionary<string, IReadOnlyList<WarehouseInstance>>.Empty,
            [],
            0);
    }
}
