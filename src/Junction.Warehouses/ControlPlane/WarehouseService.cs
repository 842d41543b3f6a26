using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Syncing;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// What a new warehouse is made of: a catalog kind (its id or slug) and settings. Without a name it is named after its
/// kind; it is enabled unless told otherwise, as in Segment.
/// </summary>
internal sealed record NewWarehouse(string MetadataId, string? Name = null, bool Enabled = true, JsonElement? Settings = null, bool? SchemaFrozen = null);

/// <summary>A partial change to a warehouse: members left null are not changed.</summary>
internal sealed record WarehouseChanges(string? Name = null, bool? Enabled = null, JsonElement? Settings = null, bool? SchemaFrozen = null);

/// <summary>A warehouse as callers see it: its connection settings with every secret masked.</summary>
internal sealed record WarehouseView(
    string Id,
    string WorkspaceId,
    WarehouseKind Kind,
    string Name,
    bool Enabled,
    JsonObject Settings,
    int SyncIntervalSeconds,
    bool SchemaFrozen,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Warehouses, their connected sources, selective sync, schedules and syncs, for the Public API and the web app alike:
/// every rule about them lives here. Each operation takes the caller's <see cref="Principal"/> and is scoped to its
/// workspace (another workspace's warehouse is not found), checked with <see cref="WarehouseAccess"/>, validated
/// against the warehouses catalog, recorded in the audit trail in the same save as the change (never with a secret),
/// and then published to <see cref="WarehouseDirectory"/> for the data plane.
/// </summary>
internal sealed partial class WarehouseService(
    JunctionDbContext db,
    WarehouseCatalog catalog,
    WarehouseSettings settings,
    WarehouseDirectory directory,
    ISourceLookup sources,
    SourceService sourceService,
    IWarehouseLoaders loaders,
    IWarehouseSyncs syncs,
    AuditTrail audit,
    TimeProvider time,
    ILogger<WarehouseService> logger)
{
    public const int MaxNameLength = 200;

    /// <summary>The resource type of warehouses in the audit trail and in permissions.</summary>
    public const string ResourceType = "WAREHOUSE";

    /// <summary>
    /// Creates and changes of warehouses on this server go one at a time, so that the check that no other warehouse
    /// loads into the same DuckDB file and the save after it cannot interleave with another create or change.
    /// </summary>
    private static readonly SemaphoreSlim SettingsWrites = new(1, 1);

    /// <summary>The warehouses of the caller's workspace that the caller may read; the others are left out, not refused.</summary>
    public async Task<Page<WarehouseView>> ListAsync(Principal caller, int offset, int count, CancellationToken cancellationToken)
    {
        var query = db.Warehouses.AsNoTracking().Where(w => w.WorkspaceId == caller.WorkspaceId);
        if (!caller.SeesAll(ResourceKind.Warehouse))
        {
            var all = await query.Select(w => w.Id).ToListAsync(cancellationToken);
            var readable = all.Where(id => caller.Can(AccessLevel.Read, ResourceKind.Warehouse, id)).ToList();
            query = query.Where(w => readable.Contains(w.Id));
        }

        return await PageAsync(query, offset, count, cancellationToken);
    }

    public async Task<Outcome<WarehouseView>> FindAsync(Principal caller, string warehouseId, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        return problem ?? (Outcome<WarehouseView>)View(warehouse!);
    }

    /// <summary>
    /// Creates a warehouse. Its settings start with the kind's defaults overlaid by the given ones and must have every
    /// required setting; a DuckDB warehouse without a path uses <c>warehouse.duckdb</c> in the data directory, and one
    /// DuckDB file holds one warehouse.
    /// </summary>
    public async Task<Outcome<WarehouseView>> CreateAsync(Principal caller, NewWarehouse input, CancellationToken cancellationToken)
    {
        await SettingsWrites.WaitAsync(cancellationToken);
        try
        {
            return await CreateOneAtATimeAsync(caller, input, cancellationToken);
        }
        finally
        {
            SettingsWrites.Release();
        }
    }

    private async Task<Outcome<WarehouseView>> CreateOneAtATimeAsync(Principal caller, NewWarehouse input, CancellationToken cancellationToken)
    {
        if (WarehouseAccess.CheckCreate(caller) is { } denied)
        {
            return denied;
        }

        if (catalog.Find(input.MetadataId) is not { } kind)
        {
            return Problem.Invalid(
                $"metadataId \"{input.MetadataId}\" is not in the warehouses catalog; GET /catalog/warehouses lists the ids.", "metadataId");
        }

        var reserved = WarehouseSettings.ReadReserved(input.Settings);
        if (reserved.Problem is { } badReserved)
        {
            return badReserved;
        }

        var name = (input.Name ?? reserved.Name)?.Trim() ?? kind.Name;
        if (CheckName(name) is { } badName)
        {
            return badName;
        }

        var plain = WarehouseSettings.ForNew(kind, input.Settings);
        if (plain.Problem is { } badSettings)
        {
            return badSettings;
        }

        if (await CheckDuckDbAsync(caller.WorkspaceId, kind, null, plain.Value!, cancellationToken) is { } badFile)
        {
            return badFile;
        }

        var now = time.GetUtcNow();
        var warehouse = new WarehouseEntity
        {
            Id = Ids.New("wh"),
            WorkspaceId = caller.WorkspaceId,
            Kind = kind.Slug,
            Name = name,
            Enabled = input.Enabled,
            SettingsJson = settings.Protect(kind, plain.Value!),
            SyncIntervalSeconds = WarehouseSchedules.DefaultIntervalSeconds,
            SchemaFrozen = input.SchemaFrozen ?? reserved.SchemaFrozen ?? false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Warehouses.Add(warehouse);
        Record(caller, "Warehouse Created", warehouse, after: Snapshot(warehouse, kind, plain.Value!));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogCreated(logger, warehouse.Id, kind.Slug, caller.WorkspaceId);
        return View(warehouse);
    }

    /// <summary>
    /// Changes a warehouse's name, enabled flag, schema freeze or connection settings. Settings are merged at the top
    /// level (a key given as null is removed); a secret sent back masked keeps the stored secret.
    /// </summary>
    public async Task<Outcome<WarehouseView>> UpdateAsync(Principal caller, string warehouseId, WarehouseChanges changes, CancellationToken cancellationToken)
    {
        await SettingsWrites.WaitAsync(cancellationToken);
        try
        {
            return await UpdateOneAtATimeAsync(caller, warehouseId, changes, cancellationToken);
        }
        finally
        {
            SettingsWrites.Release();
        }
    }

    private async Task<Outcome<WarehouseView>> UpdateOneAtATimeAsync(Principal caller, string warehouseId, WarehouseChanges changes, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Changing", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (catalog.FindBySlug(warehouse!.Kind) is not { } kind)
        {
            return Problem.Invalid($"This warehouse's kind \"{warehouse.Kind}\" is not in the warehouses catalog; it can only be deleted.", "metadataId");
        }

        var reserved = WarehouseSettings.ReadReserved(changes.Settings);
        if (reserved.Problem is { } badReserved)
        {
            return badReserved;
        }

        var current = settings.Unprotect(warehouse.SettingsJson);
        var before = Snapshot(warehouse, kind, current);
        if ((changes.Name ?? reserved.Name) is { } name)
        {
            if (CheckName(name.Trim()) is { } badName)
            {
                return badName;
            }

            warehouse.Name = name.Trim();
        }

        var plain = current;
        if (changes.Settings is { } given)
        {
            var merged = WarehouseSettings.Merge(kind, current, given);
            if (merged.Problem is { } badSettings)
            {
                return badSettings;
            }

            plain = merged.Value!;
            if (WarehouseSettings.CheckRequired(kind, plain) is { } missing)
            {
                return missing;
            }

            if (kind.Slug == WarehouseCatalog.DuckDbSlug && settings.DuckDbFile(plain) != settings.DuckDbFile(current)
                && await CheckDuckDbAsync(caller.WorkspaceId, kind, warehouse.Id, plain, cancellationToken) is { } badFile)
            {
                return badFile;
            }
        }

        warehouse.Enabled = changes.Enabled ?? warehouse.Enabled;
        warehouse.SchemaFrozen = changes.SchemaFrozen ?? reserved.SchemaFrozen ?? warehouse.SchemaFrozen;
        warehouse.SettingsJson = settings.Protect(kind, plain);
        warehouse.UpdatedAt = time.GetUtcNow();
        Record(caller, "Warehouse Modified", warehouse, before, Snapshot(warehouse, kind, plain));
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return View(warehouse);
    }

    /// <summary>
    /// Deletes a warehouse with its connections and selective sync, and takes it out of every permission that names it
    /// (a permission left naming nothing is removed, so that it never widens to every warehouse). What was loaded into
    /// the warehouse stays there.
    /// </summary>
    public async Task<Outcome<WarehouseView>> DeleteAsync(Principal caller, string warehouseId, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Deleting", tracked: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var view = View(warehouse!);
        var naming = await db.Permissions
            .Where(p => p.WorkspaceId == caller.WorkspaceId && p.Resources.Any(r => r.Type == ResourceType && r.ResourceId == warehouseId))
            .Include(p => p.Resources)
            .ToListAsync(cancellationToken);
        foreach (var permission in naming)
        {
            foreach (var resource in permission.Resources.Where(r => r.Type == ResourceType && r.ResourceId == warehouseId).ToList())
            {
                permission.Resources.Remove(resource);
                db.Remove(resource);
            }

            if (permission.Resources.Count == 0)
            {
                db.Permissions.Remove(permission);
            }
        }

        Record(caller, "Warehouse Deleted", warehouse!, before: Snapshot(warehouse!, view.Kind, settings.Unprotect(warehouse!.SettingsJson)));
        db.Warehouses.Remove(warehouse);
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogDeleted(logger, warehouse.Id, caller.WorkspaceId);
        return view;
    }

    public static Problem? CheckName(string name) =>
        name.Length is > 0 and <= MaxNameLength
            ? null
            : Problem.Invalid($"name must be 1 to {MaxNameLength} characters and not only spaces.", "name");

    /// <summary>
    /// A DuckDB warehouse's file must not be a directory or a file that is not DuckDB's, and no other warehouse (of any
    /// workspace on this server) may load into the same file: DuckDB gives one writer a file.
    /// </summary>
    private async Task<Problem?> CheckDuckDbAsync(
        string workspaceId, WarehouseKind kind, string? selfId, JsonObject plain, CancellationToken cancellationToken)
    {
        if (kind.Slug != WarehouseCatalog.DuckDbSlug)
        {
            return null;
        }

        var file = settings.DuckDbFile(plain);
        if (WarehouseSettings.CheckDuckDbFile(file) is { } bad)
        {
            return bad;
        }

        var others = await db.Warehouses.AsNoTracking()
            .Where(w => w.Kind == WarehouseCatalog.DuckDbSlug && w.Id != selfId)
            .Select(w => new { w.Id, w.WorkspaceId, w.Name, w.SettingsJson })
            .ToListAsync(cancellationToken);
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var taken = others.FirstOrDefault(o => string.Equals(settings.DuckDbFile(settings.Unprotect(o.SettingsJson)), file, comparison));
        if (taken is null)
        {
            return null;
        }

        // Another workspace's warehouse is not named: its existence is all this reveals.
        var owner = taken.WorkspaceId == workspaceId ? $"warehouse \"{taken.Name}\" ({taken.Id})" : "another warehouse on this server";
        return Problem.Conflict(
            $"settings.path: {owner} already loads into {file}, and a DuckDB file holds one warehouse. Give this warehouse another path.",
            "settings.path");
    }

    /// <summary>The settings the loaders get for a stored warehouse: secrets in clear, a DuckDB path resolved.</summary>
    private JsonObject Resolved(WarehouseKind kind, WarehouseEntity warehouse) =>
        settings.Resolved(kind, settings.Unprotect(warehouse.SettingsJson));

    private WarehouseView View(WarehouseEntity warehouse)
    {
        var kind = catalog.FindBySlug(warehouse.Kind);
        return new WarehouseView(
            warehouse.Id,
            warehouse.WorkspaceId,
            kind ?? WarehouseCatalog.Unlisted(warehouse.Kind),
            warehouse.Name,
            warehouse.Enabled,

            // A kind no longer listed has no options to say which settings are secret: show none of them.
            kind is null ? [] : WarehouseSettings.Masked(kind, settings.Unprotect(warehouse.SettingsJson)),
            warehouse.SyncIntervalSeconds,
            warehouse.SchemaFrozen,
            warehouse.CreatedAt,
            warehouse.UpdatedAt);
    }

    private async Task<Page<WarehouseView>> PageAsync(IQueryable<WarehouseEntity> query, int offset, int count, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).Skip(offset).Take(count).ToListAsync(cancellationToken);
        return new Page<WarehouseView>(page.Select(View).ToList(), total);
    }

    /// <summary>
    /// Loads a warehouse of the caller's workspace after checking the caller's access to it: not found (unknown, or
    /// another workspace's), forbidden, or the warehouse.
    /// </summary>
    private async Task<(WarehouseEntity? Warehouse, Problem? Problem)> LoadAsync(
        Principal caller, string warehouseId, AccessLevel needed, string action, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Warehouses : db.Warehouses.AsNoTracking();
        var warehouse = await query.FirstOrDefaultAsync(w => w.Id == warehouseId && w.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (warehouse is null)
        {
            return (null, Problem.NotFound("Warehouse"));
        }

        var info = new WarehouseInfo(warehouse.Id, warehouse.WorkspaceId, warehouse.Name, warehouse.Kind);
        return WarehouseAccess.Check(caller, needed, info, action) is { } problem ? (null, problem) : (warehouse, null);
    }

    private void Record(Principal caller, string type, WarehouseEntity warehouse, object? before = null, object? after = null) =>
        audit.Record(caller.WorkspaceId, Actor.Of(caller), type, ResourceType, warehouse.Id, warehouse.Name, before, after);

    /// <summary>What the audit trail keeps of a warehouse: its settings with every secret masked.</summary>
    private static object Snapshot(WarehouseEntity warehouse, WarehouseKind kind, JsonObject plain) => new
    {
        id = warehouse.Id,
        name = warehouse.Name,
        enabled = warehouse.Enabled,
        metadataId = kind.Id,
        schemaFrozen = warehouse.SchemaFrozen,
        settings = WarehouseSettings.Masked(kind, plain),
    };

    /// <summary>Rebuilds the data plane's snapshot. The change is already saved, so this is not abandoned when the caller goes away.</summary>
    private Task PublishAsync() => directory.RefreshAsync(CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created warehouse {WarehouseId} ({Kind}) in workspace {WorkspaceId}.")]
    private static partial void LogCreated(ILogger logger, string warehouseId, string kind, string workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted warehouse {WarehouseId} from workspace {WorkspaceId}.")]
    private static partial void LogDeleted(ILogger logger, string warehouseId, string workspaceId);
}
