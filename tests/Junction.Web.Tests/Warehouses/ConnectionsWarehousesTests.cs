using Bunit;
using Junction.Destinations.Delivery;
using Junction.Destinations.Delivery.Journal;
using Junction.Ingest.Volume;
using Junction.Warehouses.Syncing;
using Junction.Web.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// Warehouses on the Connections overview, rendered against the server's services: on the destinations side of each
/// source they load, with a line from it, their state and last sync; those connected to no source below; and "Add
/// Warehouse" for those who may add one.
/// </summary>
public sealed class ConnectionsWarehousesTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task AWarehouseIsDrawnBesideItsSourceWithALineAndItsLastSync()
    {
        var workspace = await StartAsync();
        var connected = await workspace.CreateDuckDbAsync("Analytics");
        var alone = await workspace.CreatePostgresAsync();
        var start = workspace.Clock.GetUtcNow().AddMinutes(-3);
        workspace.Syncs!.Save(new SyncRecord("s1", connected, workspace.SourceId, "schedule", start, start.AddSeconds(2), SyncStatus.Success, 4, new Dictionary<string, long> { ["tracks"] = 4 }, []));

        var page = Render(workspace, workspace.Owner);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=warehouse-row]")), Patience);
        var row = page.Find($"[data-test=connection][data-source-id={workspace.SourceId}]");
        var card = row.QuerySelector("[data-test=warehouse-row]")!;
        Assert.Equal(connected, card.GetAttribute("data-warehouse-id"));
        Assert.Equal($"/w/{workspace.Owner.Slug}/warehouses/{connected}/overview", card.GetAttribute("href"));
        Assert.Equal("/catalog/warehouse-logos/duckdb.svg", card.QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("DuckDB warehouse · last sync 3 min ago", card.TextContent, StringComparison.Ordinal);
        Assert.Equal("Enabled", card.QuerySelector("[data-test=warehouse-state]")!.TextContent.Trim());
        Assert.Equal("SUCCESS", card.QuerySelector("[data-test=warehouse-last-sync]")!.TextContent.Trim());
        Assert.Single(row.QuerySelectorAll("[data-test=line]"));
        Assert.Empty(row.QuerySelectorAll("[data-test=no-destination]"));

        var unconnected = page.Find("[data-test=unconnected-warehouses]");
        Assert.Equal(alone, unconnected.QuerySelector("[data-test=warehouse-row]")!.GetAttribute("data-warehouse-id"));
        Assert.Contains("not synced yet", unconnected.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/w/{workspace.Owner.Slug}/warehouses/new", page.Find("[data-test=add-warehouse]").GetAttribute("href"));
    }

    [Fact]
    public async Task AddWarehouseIsOfferedOnlyToWhoMayAddOne()
    {
        var workspace = await StartAsync();
        await workspace.CreateDuckDbAsync();

        var page = Render(workspace, workspace.Reader);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=warehouse-row]")), Patience);
        Assert.Empty(page.FindAll("[data-test=add-warehouse]"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private static IRenderedComponent<ConnectionsOverview> Render(WarehouseWorkspace workspace, Web.Shared.WorkspaceContext who)
    {
        var services = workspace.Server.Services;
        workspace.Bunit.Services.AddSingleton(services.GetRequiredService<VolumeStore>());
        workspace.Bunit.Services.AddSingleton(services.GetRequiredService<DestinationHealth>());
        workspace.Bunit.Services.AddSingleton(services.GetRequiredService<DeliveryMetricsQuery>());
        return workspace.RenderPage<ConnectionsOverview>(who);
    }

    private async Task<WarehouseWorkspace> StartAsync() => _workspace = await WarehouseWorkspace.StartAsync(listedSyncs: true);
}
