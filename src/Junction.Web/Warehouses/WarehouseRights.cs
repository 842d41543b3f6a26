using Junction.Workspace.Access;
using Junction.Workspace.Sources;

namespace Junction.Web.Warehouses;

/// <summary>
/// Who may do what with warehouses, as <c>WarehouseService</c> decides it (<c>WarehouseAccess</c>). The pages use it
/// only to offer what the service would accept; every action is checked again by the service.
/// </summary>
internal static class WarehouseRights
{
    /// <summary>Adding a warehouse: Warehouse Destination Admin on all warehouses, or Workspace Owner.</summary>
    public static bool CanAdd(Principal principal) => principal.CanCreate(ResourceKind.Warehouse);

    /// <summary>Changing one warehouse (settings, schedule, selective sync, "sync now", deleting): Warehouse Destination Admin on it.</summary>
    public static bool CanChange(Principal principal, string warehouseId) => principal.Can(AccessLevel.Write, ResourceKind.Warehouse, warehouseId);

    /// <summary>
    /// The sources a warehouse may be connected to or disconnected from by this person: connecting changes both sides,
    /// so it needs Warehouse Destination Admin on the warehouse (checked by the caller) and Source Admin on the source.
    /// </summary>
    public static IReadOnlyList<SourceView> Connectable(IEnumerable<SourceView> sources) =>
        sources.Where(s => s.Access >= AccessLevel.Write).OrderBy(Name, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>How a source is named on these pages.</summary>
    public static string Name(SourceView source) => source.Name ?? source.Slug;
}
