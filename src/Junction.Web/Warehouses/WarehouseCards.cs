using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Syncing;
using Junction.Web.Destinations.Delivery;
using Junction.Web.Shared;
using Junction.Workspace.Access;
using MudBlazor;

namespace Junction.Web.Warehouses;

/// <summary>A warehouse as the Connections overview draws it: the sources connected to it that the user may read, and its latest sync.</summary>
internal sealed record WarehouseCard(WarehouseView Warehouse, IReadOnlySet<string> SourceIds, SyncRecord? LastSync)
{
    public string Name => Warehouse.Name;

    /// <summary>The card's second line: the kind, and when it last synced.</summary>
    public string Meta(DateTimeOffset now) =>
        $"{Warehouse.Kind.Name} warehouse · "
        + (LastSync is { } last ? $"last sync {DeliveryWords.Duration(now - last.Start)} ago" : "not synced yet");

    public Color LastSyncColor => LastSync is { } last ? SyncWords.StatusColor(last.Status) : Color.Default;
}

/// <summary>
/// Reads the warehouses for the Connections overview through <see cref="WarehouseService"/> with the user's principal:
/// the warehouses they may read, each with its connected sources and latest sync.
/// </summary>
internal static class WarehouseCards
{
    public static async Task<IReadOnlyList<WarehouseCard>> LoadAsync(Scoped scoped, Principal principal)
    {
        var warehouses = await scoped.RunAsync<WarehouseService, Junction.Workspace.Page<WarehouseView>>(
            s => s.ListAsync(principal, 0, 1000, CancellationToken.None));
        var cards = new List<WarehouseCard>();
        foreach (var warehouse in warehouses.Items)
        {
            var sources = await scoped.RunAsync<WarehouseService, Junction.Workspace.Outcome<Junction.Workspace.Page<Junction.Workspace.Sources.SourceView>>>(
                s => s.ListSourcesAsync(principal, warehouse.Id, 0, 1000, CancellationToken.None));
            var syncs = await scoped.RunAsync<WarehouseService, Junction.Workspace.Outcome<Junction.Workspace.Page<SyncRecord>>>(
                s => s.ListSyncsAsync(principal, warehouse.Id, null, 0, 1, CancellationToken.None));
            cards.Add(new WarehouseCard(
                warehouse,
                (sources.Value?.Items ?? []).Select(s => s.Id).ToHashSet(StringComparer.Ordinal),
                syncs.Value?.Items.FirstOrDefault()));
        }

        return cards.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }
}
