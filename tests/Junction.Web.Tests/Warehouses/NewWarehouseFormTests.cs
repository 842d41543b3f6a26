using Bunit;
using Junction.Warehouses.ControlPlane;
using Junction.Web.Warehouses.New;
using Junction.Workspace;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// Adding a warehouse against the real WarehouseService: the catalog, the settings form built from a kind's options,
/// "Test connection" with the real loaders, and Save creating it, connecting the chosen sources and setting its interval.
/// </summary>
public sealed class NewWarehouseFormTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task TheCatalogListsDuckDbThenPostgresWithTheirLogosAndLinks()
    {
        var workspace = await StartAsync();

        var page = workspace.RenderPage<WarehouseCatalogList>(workspace.Owner);

        Assert.Equal("Add a data warehouse", page.Find("h1").TextContent.Trim());
        var entries = page.FindAll("a[data-test=catalog-entry]");
        Assert.Equal(["duckdb", "postgres"], entries.Select(e => e.GetAttribute("data-slug")));
        Assert.Equal($"/w/{workspace.Owner.Slug}/warehouses/new/duckdb", entries[0].GetAttribute("href"));
        Assert.Equal("/catalog/warehouse-logos/postgres.svg", entries[1].QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("nothing to install or operate", entries[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoMayNotAddWarehousesIsToldWhichRoleItTakes()
    {
        var workspace = await StartAsync();

        var catalog = workspace.RenderPage<WarehouseCatalogList>(workspace.Reader);
        var form = workspace.RenderPage<NewWarehouseForm>(workspace.Reader, p => p.Add(f => f.KindSlug, "duckdb"));

        Assert.Empty(catalog.FindAll("a[data-test=catalog-entry]"));
        Assert.Contains("Warehouse Destination Admin on all warehouses", catalog.Find("[data-test=needs-warehouse-admin]").TextContent, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("form"));
        Assert.NotNull(form.Find("[data-test=needs-warehouse-admin]"));
    }

    [Fact]
    public async Task ADuckDbWarehouseWithEmptySettingsIsTestedThenSavedWithItsSourceAndInterval()
    {
        var workspace = await StartAsync();
        var file = Path.Combine(workspace.Server.DataDirectory, "warehouse.duckdb");
        var page = workspace.RenderPage<NewWarehouseForm>(workspace.Owner, p => p.Add(f => f.KindSlug, "duckdb"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=source-choice]")), Patience);

        Assert.Equal("Add DuckDB", page.Find("h1").TextContent.Trim());
        Assert.Equal("DuckDB", page.Find("#warehouse-name").GetAttribute("value"));
        Assert.Equal(file, page.Find("#warehouse-path").GetAttribute("placeholder"));
        Assert.Contains($"Leave empty to use {file}.", page.Find("[data-setting=path]").TextContent, StringComparison.Ordinal);
        Assert.Contains("schema web_app", page.Find("[data-test=source-choice]").TextContent, StringComparison.Ordinal);

        page.Find("[data-test=test-connection]").Click();
        page.WaitForAssertion(() => Assert.Equal("CONNECTED", page.Find("[data-test=connection-result]").GetAttribute("data-state")), Patience);
        Assert.False(File.Exists(file));

        page.Find("#warehouse-name").Input("Analytics");
        page.Find($"[data-test=source-choice][data-source-id={workspace.SourceId}] input").Change(true);
        workspace.Choose(page, "[data-test=interval-select]", "Every minute");
        page.Find("[data-test=create-warehouse]").Click();

        var navigation = workspace.Bunit.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches($"/w/{workspace.Owner.Slug}/warehouses/wh_[^/]+/overview$", navigation.Uri), Patience);
        var id = navigation.Uri.Split('/')[^2];
        var (entity, settings) = await workspace.StoredAsync(id);
        Assert.Equal(("Analytics", "duckdb", true, 60), (entity.Name, entity.Kind, entity.Enabled, entity.SyncIntervalSeconds));
        Assert.Equal("", settings["path"]!.GetValue<string>());
        Assert.Equal([workspace.SourceId], await workspace.ConnectedAsync(id));
    }

    [Fact]
    public async Task APostgresFormHasASecretPasswordASslChoiceAndChecksThePort()
    {
        var workspace = await StartAsync();
        var page = workspace.RenderPage<NewWarehouseForm>(workspace.Owner, p => p.Add(f => f.KindSlug, "postgres"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=source-choice]")), Patience);

        Assert.Equal(["host", "port", "database", "user", "password", "sslMode"], page.FindAll("[data-setting]").Select(f => f.GetAttribute("data-setting")));
        Assert.Equal("password", page.Find("#warehouse-password").GetAttribute("type"));
        Assert.Equal("5432", page.Find("#warehouse-port").GetAttribute("value"));
        Assert.Contains("Host (required)", page.Find("[data-setting=host]").TextContent, StringComparison.Ordinal);
        Assert.Equal("prefer", page.Find("[data-setting=sslMode] input").GetAttribute("value"));

        page.Find("#warehouse-port").Input("70000");
        page.WaitForAssertion(() => Assert.Contains("Enter a port from 1 to 65535.", page.Find("[data-setting=port]").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(page.Find("[data-test=create-warehouse]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-test=test-connection]").HasAttribute("disabled"));

        page.Find("#warehouse-port").Input("5432");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-test=create-warehouse]").HasAttribute("disabled")), Patience);
        workspace.Choose(page, "[data-setting=sslMode]", "require");
        Assert.Equal("require", page.Find("[data-setting=sslMode] input").GetAttribute("value"));
    }

    [Fact]
    public async Task ATestThatCannotConnectShowsWhatTheServerSaidAndWhatToCheck()
    {
        var workspace = await StartAsync();
        var page = workspace.RenderPage<NewWarehouseForm>(workspace.Owner, p => p.Add(f => f.KindSlug, "postgres"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=source-choice]")), Patience);

        page.Find("#warehouse-host").Input("127.0.0.1");
        page.Find("#warehouse-port").Input("1");
        page.Find("#warehouse-database").Input("analytics");
        page.Find("#warehouse-user").Input("junction");
        page.Find("#warehouse-password").Input("secret");
        page.Find("[data-test=test-connection]").Click();

        page.WaitForAssertion(() => Assert.Equal("FAILED", page.Find("[data-test=connection-result]").GetAttribute("data-state")), Patience);
        Assert.NotEmpty(page.Find("[data-test=connection-problem]").TextContent.Trim());
        Assert.Contains("that the server accepts connections from this machine", page.Find("[data-test=connection-what-to-do]").TextContent, StringComparison.Ordinal);

        page.Find("#warehouse-database").Input("reporting");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=connection-problem]")), Patience);
    }

    [Fact]
    public async Task SavingWithoutARequiredSettingShowsTheServicesRefusalNextToIt()
    {
        var workspace = await StartAsync();
        var page = workspace.RenderPage<NewWarehouseForm>(workspace.Owner, p => p.Add(f => f.KindSlug, "postgres"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test=source-choice]")), Patience);

        page.Find("[data-test=create-warehouse]").Click();

        page.WaitForAssertion(
            () => Assert.Contains("This is required for a PostgreSQL warehouse.", page.Find("[data-setting=host]").TextContent, StringComparison.Ordinal),
            Patience);
        var warehouses = await workspace.RunAsync<WarehouseService, Page<WarehouseView>>(s => s.ListAsync(workspace.Owner.Principal, 0, 10, CancellationToken.None));
        Assert.Empty(warehouses.Items);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private async Task<WarehouseWorkspace> StartAsync() => _workspace = await WarehouseWorkspace.StartAsync();
}
