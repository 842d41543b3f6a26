using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// Access to warehouses, with Segment's roles: reading a warehouse (its settings, connected sources, schedules, sync
/// history) needs Warehouse Destination Read-only or Admin on it; changing it needs Warehouse Destination Admin on it;
/// creating one needs Warehouse Destination Admin on all warehouses. Connecting a source to a warehouse (or
/// disconnecting it) changes both, so it needs Admin on the warehouse and Source Admin on the source; what is about one
/// source's data in a warehouse (its tables, its syncs) needs read access to both. A Workspace Owner may do everything.
/// A warehouse of another workspace is not found, never forbidden. Decisions read only the in-memory directories.
/// </summary>
internal static class WarehouseAccess
{
    /// <summary>The warehouse as an access-decision target (warehouses carry no labels).</summary>
    public static ResourceRef AsResource(this WarehouseInfo warehouse) => new(ResourceKind.Warehouse, warehouse.Id, []);

    /// <summary>Not found, forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access to the warehouse.</summary>
    public static Problem? Check(Principal principal, AccessLevel needed, WarehouseInfo? warehouse, string action)
    {
        if (warehouse is null || warehouse.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Warehouse");
        }

        return principal.Can(needed, ResourceKind.Warehouse, warehouse.Id)
            ? null
            : Denials.Needs(needed, ResourceKind.Warehouse, $"{action} warehouse \"{warehouse.Name}\" ({warehouse.Id})");
    }

    /// <summary>
    /// Connecting or disconnecting a source: not found (either side unknown or of another workspace), forbidden (too
    /// little access to either), or null.
    /// </summary>
    public static Problem? CheckConnect(Principal principal, WarehouseInfo? warehouse, SourceInfo? source, string action) =>
        warehouse is null || warehouse.WorkspaceId != principal.WorkspaceId
            ? Problem.NotFound("Warehouse")
            : SourceAccess.CheckConnect(principal, warehouse.AsResource(), "warehouse", warehouse.Name, source, action);

    /// <summary>Reading one source's data in a warehouse: read access to the warehouse, then to the source.</summary>
    public static Problem? CheckSourceData(Principal principal, WarehouseInfo? warehouse, SourceInfo? source) =>
        Check(principal, AccessLevel.Read, warehouse, "Reading")
        ?? SourceAccess.Check(principal, AccessLevel.Read, source, "Reading the warehouse data of");

    /// <summary>Creating a warehouse needs Warehouse Destination Admin on every warehouse (or Workspace Owner).</summary>
    public static Problem? CheckCreate(Principal principal) =>
        principal.CanCreate(ResourceKind.Warehouse)
            ? null
            : Problem.Forbidden(
                $"Creating a warehouse needs {Denials.RoleNames(ResourceKind.Warehouse, AccessLevel.Write)} on all warehouses, which the caller does not have.");

    /// <summary>Testing connection settings needs Warehouse Destination Admin on some warehouse (or Workspace Owner).</summary>
    public static Problem? CheckSomeAdmin(Principal principal) =>
        principal.IsOwner || principal.Grants.Any(g => g.Role.Kind == ResourceKind.Warehouse && g.Role.Level >= AccessLevel.Write)
            ? null
            : Problem.Forbidden(
                $"Testing warehouse settings needs {Denials.RoleNames(ResourceKind.Warehouse, AccessLevel.Write)}, which the caller does not have on any warehouse.");

    /// <summary>Requires <paramref name="needed"/> access to the warehouse named by the route's <c>{warehouseId}</c>, before the handler runs.</summary>
    public static TBuilder RequireWarehouse<TBuilder>(this TBuilder builder, AccessLevel needed)
        where TBuilder : IEndpointConventionBuilder
    {
        var action = needed == AccessLevel.Write ? "Changing" : "Reading";
        return builder.Require(AccessRuleKind.Resource, $"{Denials.RoleNames(ResourceKind.Warehouse, needed)} on the warehouse", (http, principal) =>
            Check(principal, needed, Warehouse(http), action));
    }

    /// <summary>Requires the right to connect the route's <c>{sourceId}</c> to its <c>{warehouseId}</c>, before the handler runs.</summary>
    public static TBuilder RequireConnect<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Warehouse Destination Admin on the warehouse and Source Admin on the source", (http, principal) =>
            CheckConnect(principal, Warehouse(http), Source(http), "Connecting"));

    /// <summary>Requires read access to the route's <c>{warehouseId}</c> and <c>{sourceId}</c>, before the handler runs.</summary>
    public static TBuilder RequireSourceData<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "read access to the warehouse and to the source", (http, principal) =>
            CheckSourceData(principal, Warehouse(http), Source(http)));

    /// <summary>Requires the right to create warehouses, before the handler runs.</summary>
    public static TBuilder RequireWarehouseCreate<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Warehouse Destination Admin on all warehouses", (_, principal) => CheckCreate(principal));

    /// <summary>Requires Warehouse Destination Admin on at least one warehouse, before the handler runs.</summary>
    public static TBuilder RequireSomeWarehouseAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(AccessRuleKind.Resource, "Warehouse Destination Admin on some warehouse", (_, principal) => CheckSomeAdmin(principal));

    private static WarehouseInfo? Warehouse(HttpContext http) =>
        http.RequestServices.GetRequiredService<WarehouseDirectory>().FindInfo(http.Request.RouteValues["warehouseId"] as string ?? "");

    private static SourceInfo? Source(HttpContext http) =>
        http.RequestServices.GetRequiredService<ISourceLookup>().FindById(http.Request.RouteValues["sourceId"] as string ?? "");
}
