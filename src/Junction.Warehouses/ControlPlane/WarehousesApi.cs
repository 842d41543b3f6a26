using Junction.Warehouses.Loading;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// Warehouses in the Public API, at Segment's paths and in its shapes: the catalog, list, create (201), get, update,
/// delete, testing settings, the connection state, and connecting sources. Every rule is <see cref="WarehouseService"/>'s;
/// each route also declares its access rule so that a caller without access is refused before its body is read.
/// </summary>
internal static class WarehousesApi
{
    public static RouteGroupBuilder MapWarehousesRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog/warehouses", ListCatalog).AllowMembers();
        api.MapGet("/catalog/warehouses/{warehouseMetadataId}", GetCatalogEntry).AllowMembers();
        api.MapGet("/warehouses", ListAsync).FilteredByAccess("the warehouses the caller may read");
        api.MapPost("/warehouses", CreateAsync).RequireWarehouseCreate();
        api.MapPost("/warehouses/validation", ValidateAsync).RequireSomeWarehouseAdmin();
        api.MapGet("/warehouses/{warehouseId}", GetAsync).RequireWarehouse(AccessLevel.Read);
        api.MapPatch("/warehouses/{warehouseId}", UpdateAsync).RequireWarehouse(AccessLevel.Write);
        api.MapDelete("/warehouses/{warehouseId}", DeleteAsync).RequireWarehouse(AccessLevel.Write);
        api.MapGet("/warehouses/{warehouseId}/connection-state", ConnectionStateAsync).RequireWarehouse(AccessLevel.Read);
        api.MapGet("/warehouses/{warehouseId}/connected-sources", ListSourcesAsync).RequireWarehouse(AccessLevel.Read);
        api.MapPost("/warehouses/{warehouseId}/connected-sources/{sourceId}", ConnectAsync).RequireConnect();
        api.MapDelete("/warehouses/{warehouseId}/connected-sources/{sourceId}", DisconnectAsync).RequireConnect();
        api.MapGet("/sources/{sourceId}/connected-warehouses", ListForSourceAsync).RequireSource(AccessLevel.Read);
        return api;
    }

    private static IResult ListCatalog(HttpRequest request, WarehouseCatalog catalog)
    {
        if (!Pagination.TryRead(request, out var page, out var error))
        {
            return error!;
        }

        var items = catalog.All.Skip(page.Offset).Take(page.Count).Select(k => WarehouseMetadataV1.From(k, request)).ToList();
        return ApiResults.Data(new { warehousesCatalog = items, pagination = page.Output(catalog.All.Count) });
    }

    private static IResult GetCatalogEntry(HttpRequest request, string warehouseMetadataId, WarehouseCatalog catalog) =>
        catalog.Find(warehouseMetadataId) is { } kind
            ? ApiResults.Data(new { warehouseMetadata = WarehouseMetadataV1.From(kind, request) })
            : ApiResults.NotFound("Warehouses catalog entry");

    private static async Task<IResult> ListAsync(HttpContext http, WarehouseService warehouses)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var result = await warehouses.ListAsync(http.GetApiCaller().Principal, page.Offset, page.Count, http.RequestAborted);
        return PageResult(result, page, http.Request);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var metadataId = fields.String("metadataId", required: true);
        var name = fields.String("name");
        var enabled = fields.Boolean("enabled");
        var settings = fields.Object("settings");
        var schemaFrozen = fields.Boolean("schemaFrozen");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var input = new NewWarehouse(metadataId!, name, enabled ?? true, settings, schemaFrozen);
        var outcome = await warehouses.CreateAsync(http.GetApiCaller().Principal, input, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { warehouse = WarehouseV1.From(outcome.Value!, http.Request) });
    }

    private static async Task<IResult> ValidateAsync(HttpContext http, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var metadataId = fields.String("metadataId", required: true);
        var settings = fields.Object("settings");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await warehouses.ValidateAsync(http.GetApiCaller().Principal, metadataId!, settings, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(CheckResult("status", outcome.Value!));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string warehouseId, WarehouseService warehouses) =>
        WarehouseOrProblem(await warehouses.FindAsync(http.GetApiCaller().Principal, warehouseId, http.RequestAborted), http.Request);

    private static async Task<IResult> UpdateAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var changes = new WarehouseChanges(fields.String("name"), fields.Boolean("enabled"), fields.Object("settings"), fields.Boolean("schemaFrozen"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await warehouses.UpdateAsync(http.GetApiCaller().Principal, warehouseId, changes, http.RequestAborted);
        return WarehouseOrProblem(outcome, http.Request);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var outcome = await warehouses.DeleteAsync(http.GetApiCaller().Principal, warehouseId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
    }

    private static async Task<IResult> ConnectionStateAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        var outcome = await warehouses.ConnectionStateAsync(http.GetApiCaller().Principal, warehouseId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(CheckResult("connectionState", outcome.Value!));
    }

    private static async Task<IResult> ListSourcesAsync(HttpContext http, string warehouseId, WarehouseService warehouses)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await warehouses.ListSourcesAsync(http.GetApiCaller().Principal, warehouseId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                sources = outcome.Value!.Items.Select(s => SourceV1.From(s, http.Request)).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> ConnectAsync(HttpContext http, string warehouseId, string sourceId, WarehouseService warehouses)
    {
        var outcome = await warehouses.ConnectAsync(http.GetApiCaller().Principal, warehouseId, sourceId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Created(new { status = outcome.Value });
    }

    private static async Task<IResult> DisconnectAsync(HttpContext http, string warehouseId, string sourceId, WarehouseService warehouses)
    {
        var outcome = await warehouses.DisconnectAsync(http.GetApiCaller().Principal, warehouseId, sourceId, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Data(new { status = outcome.Value });
    }

    private static async Task<IResult> ListForSourceAsync(HttpContext http, string sourceId, WarehouseService warehouses)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await warehouses.ListForSourceAsync(http.GetApiCaller().Principal, sourceId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : PageResult(outcome.Value!, page, http.Request);
    }

    /// <summary>A connection test's answer: Segment's status field, and Junction's <c>problem</c> (what the warehouse said) when it failed.</summary>
    private static Dictionary<string, string?> CheckResult(string statusField, ConnectionCheck check) =>
        check.Connected
            ? new() { [statusField] = "CONNECTED" }
            : new() { [statusField] = "FAILED", ["problem"] = check.Problem };

    private static IResult PageResult(Page<WarehouseView> result, Pagination page, HttpRequest request) =>
        ApiResults.Data(new
        {
            warehouses = result.Items.Select(w => WarehouseV1.From(w, request)).ToList(),
            pagination = page.Output(result.TotalEntries),
        });

    private static IResult WarehouseOrProblem(Outcome<WarehouseView> outcome, HttpRequest request) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { warehouse = WarehouseV1.From(outcome.Value!, request) });
}
