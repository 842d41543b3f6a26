using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Junction.Testing;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Syncing;
using Junction.Web.Shared;
using Junction.Web.Warehouses;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// A whole Junction in the test process with an owner and a source "web-app", and a bUnit context that renders the
/// warehouse pages against the server's own services: the real <see cref="WarehouseService"/>, the real DuckDB loader
/// on a file in the data directory, and, when asked, a sync history held in a list (<see cref="ListedSyncs"/>) so that
/// tests choose what it holds. The pages' clock is a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class WarehouseWorkspace : IAsyncDisposable
{
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    private WarehouseWorkspace(JunctionTestServer server, WorkspaceContext owner, string sourceId, string writeKey, ListedSyncs? syncs)
    {
        Server = server;
        Owner = owner;
        SourceId = sourceId;
        WriteKey = writeKey;
        Syncs = syncs;
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddSingleton(new Scoped(server.Services.GetRequiredService<IServiceScopeFactory>()));
        Bunit.Services.AddSingleton(server.Services.GetRequiredService<WarehouseCatalog>());
        Bunit.Services.AddSingleton(server.Services.GetRequiredService<WarehouseSettings>());
        Bunit.Services.AddSingleton(server.Services.GetRequiredService<ISourceLookup>());
        Bunit.Services.AddSingleton<TimeProvider>(Clock);
    }

    public JunctionTestServer Server { get; }

    public WorkspaceContext Owner { get; }

    /// <summary>The source "web-app", schema <c>web_app</c>.</summary>
    public string SourceId { get; }

    public string WriteKey { get; }

    /// <summary>The sync history the service reads, when the workspace was started with one.</summary>
    public ListedSyncs? Syncs { get; }

    public BunitContext Bunit { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    /// <summary>MudBlazor's popover provider, where select lists open.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers => _popovers ??= Bunit.Render<MudPopoverProvider>();

    /// <summary>A member who reads every warehouse and every source and may change none.</summary>
    public WorkspaceContext Reader => new(
        Owner.Workspace,
        new Principal(Owner.Workspace.Id, PrincipalType.User, "usr_reader", "Rita Reader",
        [
            new Grant(Roles.Find("warehouse-destination-read-only")!, GrantScope.Everything),
            new Grant(Roles.Find("source-read-only")!, GrantScope.Everything),
        ]),
        "usr_reader");

    /// <summary>A member who may read sources but has no role on warehouses.</summary>
    public WorkspaceContext SourceReader => new(
        Owner.Workspace,
        new Principal(Owner.Workspace.Id, PrincipalType.User, "usr_sources", "Sam Sources", [new Grant(Roles.Find("source-read-only")!, GrantScope.Everything)]),
        "usr_sources");

    public static async Task<WarehouseWorkspace> StartAsync(bool listedSyncs = false, IWarehouseLoaders? loaders = null)
    {
        var syncs = listedSyncs ? new ListedSyncs() : null;
        var server = await JunctionTestServer.StartAsync(configure: builder =>
        {
            if (syncs is not null)
            {
                builder.Services.AddSingleton<IWarehouseSyncs>(syncs);
            }

            if (loaders is not null)
            {
                builder.Services.AddSingleton(loaders);
            }
        });
        var (sourceId, writeKey) = await server.CreateSourceAsync("web-app");
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<JunctionDbContext>();
        var owner = await FirstOwnerSetup.CreateOwnerAsync(
            db, services.GetRequiredService<AuditTrail>(), services.GetRequiredService<TimeProvider>(),
            "olivia@example.test", "Olivia Owner", "a long owner passphrase", CancellationToken.None);
        var workspace = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstAsync();
        var principal = await services.GetRequiredService<AccessService>().ForUserAsync(workspace.Id, owner.Value!.Id, CancellationToken.None);
        return new WarehouseWorkspace(server, new WorkspaceContext(workspace, principal!, owner.Value.Id), sourceId, writeKey, syncs);
    }

    /// <summary>Adds a DuckDB warehouse on the default file as the owner, connected to the source unless told otherwise.</summary>
    public async Task<string> CreateDuckDbAsync(string name = "Analytics", bool connect = true) =>
        await CreateAsync(new NewWarehouse(WarehouseCatalog.DuckDbSlug, name), connect);

    /// <summary>Adds a PostgreSQL warehouse (at an address nothing listens on) as the owner.</summary>
    public async Task<string> CreatePostgresAsync(string password = "first-secret-abcd", bool connect = false) =>
        await CreateAsync(
            new NewWarehouse(WarehouseCatalog.PostgresSlug, "Reporting", Settings: JsonSerializer.SerializeToElement(new
            {
                host = "127.0.0.1",
                port = 1,
                database = "analytics",
                user = "junction",
                password,
            })),
            connect);

    /// <summary>Adds a second source the owner administers, answering its id.</summary>
    public async Task<string> CreateSourceAsync(string slug) => (await Server.CreateSourceAsync(slug)).SourceId;

    /// <summary>The warehouse as stored: its entity, and its settings in clear (secrets decrypted).</summary>
    public async Task<(WarehouseEntity Entity, JsonObject Settings)> StoredAsync(string warehouseId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var entity = await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().Warehouses.AsNoTracking().SingleAsync(w => w.Id == warehouseId);
        return (entity, Server.Services.GetRequiredService<WarehouseSettings>().Unprotect(entity.SettingsJson));
    }

    /// <summary>The ids of the sources connected to a warehouse, as stored.</summary>
    public async Task<List<string>> ConnectedAsync(string warehouseId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JunctionDbContext>().WarehouseSources.AsNoTracking()
            .Where(c => c.WarehouseId == warehouseId).Select(c => c.SourceId).ToListAsync();
    }

    /// <summary>
    /// Writes rows into the source's schema in the warehouse's DuckDB file with the real loader, as a sync would: the
    /// schema, then each table with an <c>id</c>, a <c>received_at</c> and the given text columns.
    /// </summary>
    public async Task LoadAsync(string warehouseId, string table, IReadOnlyList<string> columns, params object?[][] rows)
    {
        var instance = Server.Services.GetRequiredService<WarehouseDirectory>().Find(warehouseId)!;
        LoadColumn[] all = [new("id", ColumnType.Text), new("received_at", ColumnType.Timestamp), .. columns.Select(c => new LoadColumn(c, ColumnType.Text))];
        await using var connection = await Server.Services.GetRequiredService<IWarehouseLoaders>().Create(instance.Kind, instance.Settings).ConnectAsync(CancellationToken.None);
        await connection.ApplyAsync([new CreateSchema("web_app"), new CreateTable("web_app", table, all, Upsert: false)], CancellationToken.None);
        await connection.LoadAsync("web_app", [new TableLoad(table, false, all, rows)], [], DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    /// <summary>Renders one tab of a warehouse's pages in its frame, as <paramref name="workspace"/> sees it, once the frame has loaded.</summary>
    public IRenderedComponent<WarehouseFrame> Render<TTab>(string warehouseId, string tab, WorkspaceContext workspace, Action<ComponentParameterCollectionBuilder<TTab>>? parameters = null)
        where TTab : IComponent
    {
        _ = Popovers;
        var frame = Bunit.Render<WarehouseFrame>(p => p
            .AddCascadingValue(workspace)
            .Add(f => f.WarehouseId, warehouseId)
            .Add(f => f.Tab, tab)
            .AddChildContent<TTab>(parameters ?? (_ => { })));
        frame.WaitForAssertion(() => Assert.Empty(frame.FindAll("[aria-label='Loading the warehouse']")), TimeSpan.FromSeconds(10));
        return frame;
    }

    /// <summary>Renders a component that needs only the workspace, such as the catalog or the new-warehouse form.</summary>
    public IRenderedComponent<T> RenderPage<T>(WorkspaceContext workspace, Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        _ = Popovers;
        return Bunit.Render<T>(p =>
        {
            p.AddCascadingValue(workspace);
            parameters?.Invoke(p);
        });
    }

    /// <summary>Chooses an option of the MudSelect in (or at) <paramref name="container"/>: opens its list and clicks the option with this text.</summary>
    public void Choose<T>(IRenderedComponent<T> page, string container, string option)
        where T : IComponent
    {
        var root = page.Find(container);
        // MudBlazor puts a select's own attributes on its inner input slot: its control is then an ancestor.
        (root.ClassList.Contains("mud-input-control") ? root : root.QuerySelector(".mud-input-control") ?? root.Closest(".mud-input-control")!).MouseDown();
        Popovers.WaitForAssertion(() => Assert.NotEmpty(OptionsNamed(option)));
        OptionsNamed(option)[0].Click();
    }

    /// <summary>Text as a person reads it: every run of white space (the markup's line breaks) as one space.</summary>
    public static string Words(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await Server.DisposeAsync();
    }

    private async Task<string> CreateAsync(NewWarehouse input, bool connect)
    {
        var created = await RunAsync<WarehouseService, Outcome<WarehouseView>>(s => s.CreateAsync(Owner.Principal, input, CancellationToken.None));
        var id = created.Value?.Id ?? throw new InvalidOperationException(created.Problem!.Message);
        if (connect)
        {
            var connected = await RunAsync<WarehouseService, Outcome<string>>(s => s.ConnectAsync(Owner.Principal, id, SourceId, CancellationToken.None));
            _ = connected.Value ?? throw new InvalidOperationException(connected.Problem!.Message);
        }

        return id;
    }

    private List<AngleSharp.Dom.IElement> OptionsNamed(string option) =>
        Popovers.FindAll(".mud-popover-open .mud-list-item").Where(i => i.TextContent.Trim() == option).ToList();
}

/// <summary>A sync history the tests fill in (a record saved again under its id replaces it), and a "sync now" that records what it was asked for.</summary>
internal sealed class ListedSyncs : IWarehouseSyncs
{
    private readonly ConcurrentDictionary<string, SyncRecord> _records = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requested { get; } = new();

    public void Save(params SyncRecord[] records)
    {
        foreach (var record in records)
        {
            _records[record.Id] = record;
        }
    }

    public Task<IReadOnlyList<SyncRecord>> ListAsync(string warehouseId, string? sourceId, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SyncRecord>>(Matching(warehouseId, sourceId).Skip(offset).Take(count).ToList());

    public Task<int> CountAsync(string warehouseId, string? sourceId, CancellationToken cancellationToken) =>
        Task.FromResult(Matching(warehouseId, sourceId).Count());

    public bool SyncNow(string warehouseId)
    {
        Requested.Enqueue(warehouseId);
        return true;
    }

    private IEnumerable<SyncRecord> Matching(string warehouseId, string? sourceId) =>
        _records.Values.Where(r => r.WarehouseId == warehouseId && (sourceId is null || r.SourceId == sourceId))
            .OrderByDescending(r => r.Start).ThenByDescending(r => r.Id, StringComparer.Ordinal);
}
