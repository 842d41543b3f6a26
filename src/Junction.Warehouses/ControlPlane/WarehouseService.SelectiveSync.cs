using Junction.Warehouses.Schema;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Warehouses.ControlPlane;

/// <summary>One selective sync choice as given (Segment's <c>WarehouseSyncOverrideV1</c>): a table, or one of its columns, on or off.</summary>
internal sealed record SyncOverride(string SourceId, string? Collection, string? Property, bool Enabled);

/// <summary>What a selective sync change did: <c>UPDATED</c> or <c>UNCHANGED</c>, and warnings about choices that have no effect yet.</summary>
internal sealed record SelectiveSyncUpdate(string Status, IReadOnlyList<string> Warnings);

/// <summary>One table of a source in a warehouse and its columns, each on or off (Segment's <c>WarehouseSelectiveSyncItemV1</c>).</summary>
internal sealed record SelectiveSyncItem(string SourceId, string Collection, string WarehouseId, bool Enabled, IReadOnlyDictionary<string, bool> Properties);

/// <summary>
/// A page of a source's tables in a warehouse with their selective sync state. When the warehouse could not be read,
/// <see cref="Reachable"/> is false, <see cref="Problem"/> says why, and the items are only the stored choices.
/// </summary>
internal sealed record SelectiveSyncList(Page<SelectiveSyncItem> Page, bool Reachable, string? Problem);

/// <summary>
/// Selective sync: which tables and columns of each connected source a warehouse loads. Everything loads unless turned
/// off; turning something off stops new loads and keeps what was loaded.
/// </summary>
internal sealed partial class WarehouseService
{
    /// <summary>The longest table or column name accepted in a choice.</summary>
    public const int MaxSelectiveSyncNameLength = 255;

    /// <summary>Columns every load needs: <c>id</c> deduplicates rows and <c>received_at</c> orders them.</summary>
    private static readonly string[] RequiredColumns = ["id", "received_at"];

    /// <summary>
    /// Applies selective sync choices in order (a later choice about the same table or column wins). Each names a
    /// connected source and a table (Segment's <c>collection</c>), and optionally a column (<c>property</c>); turning a
    /// whole source off is disconnecting it. Answers <c>UNCHANGED</c> when every choice was already recorded as given.
    /// </summary>
    public async Task<Outcome<SelectiveSyncUpdate>> UpdateSelectiveSyncAsync(
        Principal caller, string warehouseId, IReadOnlyList<SyncOverride> overrides, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Write, "Changing", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var connected = (await db.WarehouseSources.AsNoTracking().Where(c => c.WarehouseId == warehouseId).Select(c => c.SourceId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < overrides.Count; i++)
        {
            if (CheckOverride(overrides[i], $"syncOverrides[{i}]", connected) is { } invalid)
            {
                return invalid;
            }
        }

        var stored = await db.WarehouseSelectiveSyncs.Where(s => s.WarehouseId == warehouseId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var changed = new List<SyncOverride>();
        foreach (var choice in overrides)
        {
            var row = stored.FirstOrDefault(s => s.SourceId == choice.SourceId && s.Collection == choice.Collection && s.Property == choice.Property);
            if (row is null)
            {
                row = new WarehouseSelectiveSyncEntity
                {
                    Id = Ids.New("wss"),
                    WarehouseId = warehouseId,
                    SourceId = choice.SourceId,
                    Collection = choice.Collection!,
                    Property = choice.Property,
                    Enabled = choice.Enabled,
                    UpdatedAt = now,
                };
                db.WarehouseSelectiveSyncs.Add(row);
                stored.Add(row);
                changed.Add(choice);
            }
            else if (row.Enabled != choice.Enabled)
            {
                row.Enabled = choice.Enabled;
                row.UpdatedAt = now;
                changed.Add(choice);
            }
        }

        var warnings = overrides
            .Where(o => o.Property is not null
                && stored.Any(s => s.SourceId == o.SourceId && s.Collection == o.Collection && s.Property is null && !s.Enabled))
            .Select(o => $"Table \"{o.Collection}\" of source {o.SourceId} is turned off, so the choice about its column \"{o.Property}\" "
                + "takes effect only when the table is turned on again.")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (changed.Count == 0)
        {
            return new SelectiveSyncUpdate("UNCHANGED", warnings);
        }

        Record(caller, "Warehouse Selective Sync Modified", warehouse!, after: new
        {
            syncOverrides = changed.Select(c => new { sourceId = c.SourceId, collection = c.Collection, property = c.Property, enabled = c.Enabled }),
        });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        return new SelectiveSyncUpdate("UPDATED", warnings);
    }

    /// <summary>
    /// A connected source's tables in a warehouse, by name, each with its columns and whether selective sync loads
    /// them: the tables and columns the warehouse has (read from it) merged with the stored choices. When the warehouse
    /// cannot be reached, the list holds only the stored choices and says why.
    /// </summary>
    public async Task<Outcome<SelectiveSyncList>> ListSelectiveSyncsAsync(
        Principal caller, string warehouseId, string sourceId, int offset, int count, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (WarehouseAccess.CheckSourceData(caller, directory.FindInfo(warehouseId), source) is { } denied)
        {
            return denied;
        }

        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!await IsConnectedAsync(warehouseId, sourceId, cancellationToken))
        {
            return NotConnected(source!, warehouseId);
        }

        var choices = await db.WarehouseSelectiveSyncs.AsNoTracking()
            .Where(s => s.WarehouseId == warehouseId && s.SourceId == sourceId)
            .ToListAsync(cancellationToken);
        var described = await DescribeAsync(warehouse!, WarehouseNames.Schema(source!.Slug), cancellationToken);

        var tables = new SortedDictionary<string, SortedDictionary<string, bool>>(StringComparer.Ordinal);
        foreach (var (name, table) in described.Tables ?? new Dictionary<string, TableSchema>())
        {
            tables[name] = new SortedDictionary<string, bool>(table.Columns.Keys.ToDictionary(c => c, _ => true, StringComparer.Ordinal), StringComparer.Ordinal);
        }

        foreach (var choice in choices.Where(c => c.Property is not null))
        {
            if (!tables.TryGetValue(choice.Collection, out var columns))
            {
                tables[choice.Collection] = columns = new SortedDictionary<string, bool>(StringComparer.Ordinal);
            }

            columns[choice.Property!] = choice.Enabled;
        }

        foreach (var choice in choices.Where(c => c.Property is null && !tables.ContainsKey(c.Collection)))
        {
            tables[choice.Collection] = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        }

        var items = tables
            .Select(t => new SelectiveSyncItem(
                sourceId,
                t.Key,
                warehouseId,
                choices.FirstOrDefault(c => c.Collection == t.Key && c.Property is null)?.Enabled ?? true,
                t.Value))
            .ToList();
        var page = new Page<SelectiveSyncItem>(items.Skip(offset).Take(count).ToList(), items.Count);
        return new SelectiveSyncList(page, described.Tables is not null, described.Problem);
    }

    private static Problem? CheckOverride(SyncOverride choice, string field, HashSet<string> connected)
    {
        if (!connected.Contains(choice.SourceId))
        {
            return Problem.Invalid(
                $"{field}.sourceId: source {choice.SourceId} is not connected to this warehouse; connect it first.", field + ".sourceId");
        }

        if (string.IsNullOrWhiteSpace(choice.Collection))
        {
            return Problem.Invalid(
                $"{field}.collection is required: name the table the choice is about. To stop loading a whole source, disconnect it "
                + "(DELETE /warehouses/{warehouseId}/connected-sources/{sourceId}).",
                field + ".collection");
        }

        if (choice.Collection.Length > MaxSelectiveSyncNameLength)
        {
            return Problem.Invalid($"{field}.collection must be at most {MaxSelectiveSyncNameLength} characters.", field + ".collection");
        }

        if (choice.Property is { } property)
        {
            if (property.Trim().Length == 0 || property.Length > MaxSelectiveSyncNameLength)
            {
                return Problem.Invalid($"{field}.property must be 1 to {MaxSelectiveSyncNameLength} characters when given.", field + ".property");
            }

            if (!choice.Enabled && RequiredColumns.Contains(property, StringComparer.Ordinal))
            {
                return Problem.Invalid(
                    $"{field}.property: column \"{property}\" cannot be turned off: every load needs id (to deduplicate rows) and received_at (to order them).",
                    field + ".property");
            }
        }

        return null;
    }
}
