using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.ControlPlane;

/// <summary>Sources connected to warehouses: connecting, disconnecting and listing either side.</summary>
internal sealed partial class WarehouseService
{
    /// <summary>
    /// Connects a source to a warehouse: from now on its events are staged for the warehouse and loaded by each sync,
    /// into the schema named after the source's slug. Connecting a connected source changes nothing.
    /// </summary>
    public async Task<Outcome<string>> ConnectAsync(Principal caller, string warehouseId, string sourceId, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (WarehouseAccess.CheckConnect(caller, directory.FindInfo(warehouseId), source, "Connecting") is { } denied)
        {
            return denied;
        }

        var warehouse = await db.Warehouses.AsNoTracking()
            .FirstOrDefaultAsync(w => w.Id == warehouseId && w.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (warehouse is null)
        {
            return Problem.NotFound("Warehouse");
        }

        if (await db.WarehouseSources.AnyAsync(c => c.WarehouseId == warehouseId && c.SourceId == sourceId, cancellationToken))
        {
            return "CONNECTED";
        }

        db.WarehouseSources.Add(new WarehouseSourceEntity { WarehouseId = warehouseId, SourceId = sourceId, ConnectedAt = time.GetUtcNow() });
        Record(caller, "Warehouse Source Connected", warehouse, after: new { sourceId, sourceSlug = source!.Slug });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogConnected(logger, sourceId, warehouseId);
        return "CONNECTED";
    }

    /// <summary>
    /// Disconnects a source from a warehouse, with its selective sync choices: its events are no longer staged for the
    /// warehouse. What was loaded stays in the warehouse.
    /// </summary>
    public async Task<Outcome<string>> DisconnectAsync(Principal caller, string warehouseId, string sourceId, CancellationToken cancellationToken)
    {
        var source = sources.FindById(sourceId);
        if (WarehouseAccess.CheckConnect(caller, directory.FindInfo(warehouseId), source, "Disconnecting") is { } denied)
        {
            return denied;
        }

        var warehouse = await db.Warehouses.AsNoTracking()
            .FirstOrDefaultAsync(w => w.Id == warehouseId && w.WorkspaceId == caller.WorkspaceId, cancellationToken);
        var connection = await db.WarehouseSources.FirstOrDefaultAsync(c => c.WarehouseId == warehouseId && c.SourceId == sourceId, cancellationToken);
        if (warehouse is null || connection is null)
        {
            return NotConnected(source!, warehouseId);
        }

        db.WarehouseSources.Remove(connection);
        Record(caller, "Warehouse Source Disconnected", warehouse, before: new { sourceId, sourceSlug = source!.Slug });
        await db.SaveChangesAsync(cancellationToken);
        await PublishAsync();
        LogDisconnected(logger, sourceId, warehouseId);
        return "SUCCESS";
    }

    /// <summary>The sources connected to a warehouse that the caller may read (the others are left out), oldest connection first.</summary>
    public async Task<Outcome<Page<SourceView>>> ListSourcesAsync(
        Principal caller, string warehouseId, int offset, int count, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var connected = await db.WarehouseSources.AsNoTracking()
            .Where(c => c.WarehouseId == warehouse!.Id)
            .OrderBy(c => c.ConnectedAt).ThenBy(c => c.SourceId)
            .Select(c => c.SourceId)
            .ToListAsync(cancellationToken);
        return await sourceService.ListReadableAsync(caller, connected, offset, count, cancellationToken);
    }

    /// <summary>The warehouses a source is connected to that the caller may read (Segment's "connected warehouses"); needs read access to the source.</summary>
    public async Task<Outcome<Page<WarehouseView>>> ListForSourceAsync(
        Principal caller, string sourceId, int offset, int count, CancellationToken cancellationToken)
    {
        if (SourceAccess.Check(caller, AccessLevel.Read, sources.FindById(sourceId), "Reading") is { } denied)
        {
            return denied;
        }

        var connected = db.WarehouseSources.Where(c => c.SourceId == sourceId).Select(c => c.WarehouseId);
        var query = db.Warehouses.AsNoTracking().Where(w => w.WorkspaceId == caller.WorkspaceId && connected.Contains(w.Id));
        if (!caller.SeesAll(ResourceKind.Warehouse))
        {
            var ids = await query.Select(w => w.Id).ToListAsync(cancellationToken);
            var readable = ids.Where(id => caller.Can(AccessLevel.Read, ResourceKind.Warehouse, id)).ToList();
            query = query.Where(w => readable.Contains(w.Id));
        }

        return await PageAsync(query, offset, count, cancellationToken);
    }

    /// <summary>Whether a source is connected to a warehouse (of the caller's workspace).</summary>
    private Task<bool> IsConnectedAsync(string warehouseId, string sourceId, CancellationToken cancellationToken) =>
        db.WarehouseSources.AnyAsync(c => c.WarehouseId == warehouseId && c.SourceId == sourceId, cancellationToken);

    private static Problem NotConnected(SourceInfo source, string warehouseId) =>
        new(ProblemKind.NotFound, $"Source \"{source.Slug}\" ({source.Id}) is not connected to warehouse {warehouseId}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected source {SourceId} to warehouse {WarehouseId}.")]
    private static partial void LogConnected(ILogger logger, string sourceId, string warehouseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected source {SourceId} from warehouse {WarehouseId}.")]
    private static partial void LogDisconnected(ILogger logger, string sourceId, string warehouseId);
}
