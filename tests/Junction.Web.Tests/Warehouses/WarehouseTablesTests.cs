using System.Text.Json.Nodes;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Loading;
using Junction.Workspace;

namespace Junction.Web.Tests.Warehouses;

/// <summary>
/// <c>WarehouseService.ListTablesAsync</c> and <c>PreviewAsync</c>, which the Overview and Preview tabs read: access to
/// both the warehouse and the source, unknown tables refused by name, and a warehouse that cannot be read answered as a
/// problem in its own words, never an exception.
/// </summary>
public sealed class WarehouseTablesTests : IAsyncDisposable
{
    private WarehouseWorkspace? _workspace;

    [Fact]
    public async Task TheTablesOfASourceAreListedWithTheirRowCountsAndATableIsPreviewed()
    {
        var workspace = _workspace = await WarehouseWorkspace.StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var at = workspace.Clock.GetUtcNow();
        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", at, "A"], ["m2", at.AddSeconds(1), "B"]);

        var tables = await ListAsync(workspace, workspace.Owner.Principal, id, workspace.SourceId);
        var preview = await PreviewAsync(workspace, workspace.Owner.Principal, id, workspace.SourceId, "tracks", 1);

        Assert.Equal(new[] { new TableSummary("tracks", 2) }, tables.Value!);
        Assert.Equal(["id", "received_at", "event"], preview.Value!.Columns);
        Assert.Equal("m2", Assert.Single(preview.Value.Rows)[0]);
    }

    [Fact]
    public async Task AnUnknownTableOrAnUnconnectedSourceOrABadLimitIsRefusedInWords()
    {
        var workspace = _workspace = await WarehouseWorkspace.StartAsync();
        var id = await workspace.CreateDuckDbAsync();
        var other = await workspace.CreateSourceAsync("mobile-app");
        await workspace.LoadAsync(id, "tracks", ["event"], ["m1", workspace.Clock.GetUtcNow(), "A"]);
        var owner = workspace.Owner.Principal;

        var unknown = (await PreviewAsync(workspace, owner, id, workspace.SourceId, "users; drop table tracks", 50)).Problem!;
        var notConnected = (await ListAsync(workspace, owner, id, other)).Problem!;
        var badLimit = (await PreviewAsync(workspace, owner, id, workspace.SourceId, "tracks", 10_000)).Problem!;

        Assert.Equal((ProblemKind.NotFound, "table"), (unknown.Kind, unknown.Field));
        Assert.Equal("Table \"users; drop table tracks\" is not in schema web_app; its tables are tracks.", unknown.Message);
        Assert.Equal(ProblemKind.NotFound, notConnected.Kind);
        Assert.Contains("is not connected to warehouse", notConnected.Message, StringComparison.Ordinal);
        Assert.Equal((ProblemKind.Invalid, "limit"), (badLimit.Kind, badLimit.Field));
    }

    [Fact]
    public async Task ReadingNeedsReadAccessToTheWarehouseAndToTheSource()
    {
        var workspace = _workspace = await WarehouseWorkspace.StartAsync();
        var id = await workspace.CreateDuckDbAsync();

        var reader = await ListAsync(workspace, workspace.Reader.Principal, id, workspace.SourceId);
        var noWarehouseRole = await ListAsync(workspace, workspace.SourceReader.Principal, id, workspace.SourceId);
        var noSourceRole = await ListAsync(workspace, WarehouseOnly(workspace), id, workspace.SourceId);

        Assert.Null(reader.Problem);
        Assert.Equal(ProblemKind.Forbidden, noWarehouseRole.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, noSourceRole.Problem!.Kind);
    }

    [Fact]
    public async Task AWarehouseThatCannotBeReachedAnswersWhatItSaid()
    {
        var workspace = _workspace = await WarehouseWorkspace.StartAsync();
        var id = await workspace.CreatePostgresAsync(connect: true);

        var outcome = await ListAsync(workspace, workspace.Owner.Principal, id, workspace.SourceId);

        Assert.Equal(ProblemKind.Conflict, outcome.Problem!.Kind);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Problem.Message));
    }

    [Fact]
    public async Task ADuckDbFileHeldByAnotherProcessIsBusySyncing()
    {
        var loaders = new LockedLoaders();
        var workspace = _workspace = await WarehouseWorkspace.StartAsync(loaders: loaders);
        var id = await workspace.CreateDuckDbAsync();
        await File.WriteAllBytesAsync(Path.Combine(workspace.Server.DataDirectory, "warehouse.duckdb"), []);

        var outcome = await PreviewAsync(workspace, workspace.Owner.Principal, id, workspace.SourceId, "tracks", 50);

        Assert.Equal(ProblemKind.Conflict, outcome.Problem!.Kind);
        Assert.StartsWith("The warehouse is busy syncing; try again in a moment.", outcome.Problem.Message, StringComparison.Ordinal);
        Assert.Contains(LockedLoaders.Message, outcome.Problem.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    private static Junction.Workspace.Access.Principal WarehouseOnly(WarehouseWorkspace workspace) =>
        new(workspace.Owner.Workspace.Id, Junction.Workspace.Access.PrincipalType.User, "usr_wh", "Walt Warehouse",
            [new Junction.Workspace.Access.Grant(Junction.Workspace.Access.Roles.Find("warehouse-destination-read-only")!, Junction.Workspace.Access.GrantScope.Everything)]);

    private static Task<Outcome<IReadOnlyList<TableSummary>>> ListAsync(WarehouseWorkspace workspace, Junction.Workspace.Access.Principal caller, string id, string sourceId) =>
        workspace.RunAsync<WarehouseService, Outcome<IReadOnlyList<TableSummary>>>(s => s.ListTablesAsync(caller, id, sourceId, CancellationToken.None));

    private static Task<Outcome<TablePreview>> PreviewAsync(
        WarehouseWorkspace workspace, Junction.Workspace.Access.Principal caller, string id, string sourceId, string table, int limit) =>
        workspace.RunAsync<WarehouseService, Outcome<TablePreview>>(s => s.PreviewAsync(caller, id, sourceId, table, limit, CancellationToken.None));

    /// <summary>Loaders whose every connection fails as DuckDB's does when another process holds the file.</summary>
    private sealed class LockedLoaders : IWarehouseLoaders
    {
        public const string Message = "IO Error: Could not set lock on file \"warehouse.duckdb\": Conflicting lock is held in dotnet (PID 4242).";

        public IWarehouseLoader Create(string kind, JsonObject settings) => new Loader();

        private sealed class Loader : IWarehouseLoader
        {
            public Task<ConnectionCheck> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(ConnectionCheck.Failed(Message));

            public Task<IWarehouseConnection> ConnectAsync(CancellationToken cancellationToken) => throw new WarehouseException(Message);
        }
    }
}
