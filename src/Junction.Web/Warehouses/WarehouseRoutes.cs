namespace Junction.Web.Warehouses;

/// <summary>The addresses of a workspace's warehouse pages: <c>/w/{slug}/warehouses/…</c>, and the catalog's logos.</summary>
internal static class WarehouseRoutes
{
    /// <summary>The tabs of a warehouse's pages, each its own address, in the order they are shown.</summary>
    public static readonly IReadOnlyList<(string Tab, string Label)> Tabs =
    [
        ("overview", "Overview"),
        ("selective-sync", "Selective sync"),
        ("preview", "Preview"),
        ("settings", "Settings"),
    ];

    /// <summary>Step one of adding a warehouse: the catalog.</summary>
    public static string New(string slug) => $"/w/{slug}/warehouses/new";

    /// <summary>Step two of adding a warehouse: its settings, sources and schedule.</summary>
    public static string New(string slug, string kindSlug) => $"/w/{slug}/warehouses/new/{kindSlug}";

    public static string Warehouse(string slug, string warehouseId, string tab = "overview") => $"/w/{slug}/warehouses/{warehouseId}/{tab}";

    /// <summary>The Preview tab showing one table of one source.</summary>
    public static string Preview(string slug, string warehouseId, string sourceId, string table) =>
        $"{Warehouse(slug, warehouseId, "preview")}?source={Uri.EscapeDataString(sourceId)}&table={Uri.EscapeDataString(table)}";

    /// <summary>A kind's logo, served by <c>WarehouseLogos</c> without sign-in.</summary>
    public static string Logo(string kindSlug) => $"/catalog/warehouse-logos/{kindSlug}.svg";
}
