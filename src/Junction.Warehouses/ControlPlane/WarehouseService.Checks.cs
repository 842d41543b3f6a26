using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.Extensions.Logging;

namespace Junction.Warehouses.ControlPlane;

/// <summary>Talking to warehouses for the control plane: testing settings, a warehouse's connection state, reading a source's tables.</summary>
internal sealed partial class WarehouseService
{
    /// <summary>How long a connection test or a read of a warehouse's tables may take before it counts as failed.</summary>
    public const int WarehouseTimeoutSeconds = 15;

    /// <summary>
    /// Tests connection settings before a warehouse is created (Segment's <c>createValidationInWarehouse</c>): they are
    /// checked like a new warehouse's, then the warehouse is asked whether Junction may create schemas and tables in it.
    /// </summary>
    public async Task<Outcome<ConnectionCheck>> ValidateAsync(Principal caller, string metadataId, JsonElement? given, CancellationToken cancellationToken)
    {
        if (WarehouseAccess.CheckSomeAdmin(caller) is { } denied)
        {
            return denied;
        }

        if (catalog.Find(metadataId) is not { } kind)
        {
            return Problem.Invalid($"metadataId \"{metadataId}\" is not in the warehouses catalog; GET /catalog/warehouses lists the ids.", "metadataId");
        }

        var plain = WarehouseSettings.ForNew(kind, given);
        if (plain.Problem is { } badSettings)
        {
            return badSettings;
        }

        if (kind.Slug == WarehouseCatalog.DuckDbSlug && WarehouseSettings.CheckDuckDbFile(settings.DuckDbFile(plain.Value!)) is { } badFile)
        {
            return badFile;
        }

        return await CheckAsync(kind, settings.Resolved(kind, plain.Value!), cancellationToken);
    }

    /// <summary>Whether Junction can connect to a warehouse with its stored settings now (<c>CONNECTED</c> or <c>FAILED</c>).</summary>
    public async Task<Outcome<ConnectionCheck>> ConnectionStateAsync(Principal caller, string warehouseId, CancellationToken cancellationToken)
    {
        var (warehouse, problem) = await LoadAsync(caller, warehouseId, AccessLevel.Read, "Reading", tracked: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return catalog.FindBySlug(warehouse!.Kind) is { } kind
            ? await CheckAsync(kind, Resolved(kind, warehouse), cancellationToken)
            : ConnectionCheck.Failed($"This warehouse's kind \"{warehouse.Kind}\" is not in the warehouses catalog.");
    }

    private async Task<ConnectionCheck> CheckAsync(WarehouseKind kind, JsonObject resolved, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(WarehouseTimeoutSeconds));
        try
        {
            return await loaders.Create(kind.Slug, resolved).CheckAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ConnectionCheck.Failed($"The warehouse did not answer within {WarehouseTimeoutSeconds} seconds.");
        }
    }

    /// <summary>
    /// A source's tables as the warehouse has them, or, when it cannot be reached within <see cref="WarehouseTimeoutSeconds"/>,
    /// why not. An unreachable warehouse is an expected answer here, not an error.
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, TableSchema>? Tables, string? Problem)> DescribeAsync(
        WarehouseEntity warehouse, string schema, CancellationToken cancellationToken)
    {
        if (catalog.FindBySlug(warehouse.Kind) is not { } kind)
        {
            return (null, $"This warehouse's kind \"{warehouse.Kind}\" is not in the warehouses catalog.");
        }

        var resolved = Resolved(kind, warehouse);
        if (kind.Slug == WarehouseCatalog.DuckDbSlug && !File.Exists(settings.DuckDbFile(resolved)))
        {
            // Nothing has been loaded yet; opening the file would create it merely by looking.
            return (new Dictionary<string, TableSchema>(), null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(WarehouseTimeoutSeconds));
        try
        {
            await using var connection = await loaders.Create(kind.Slug, resolved).ConnectAsync(timeout.Token);
            return (await connection.DescribeAsync(schema, timeout.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"The warehouse did not answer within {WarehouseTimeoutSeconds} seconds.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnreachable(logger, warehouse.Id, ex.Message);
            return (null, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warehouse {WarehouseId} could not be read for selective sync: {Problem}")]
    private static partial void LogUnreachable(ILogger logger, string warehouseId, string problem);
}
