using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Syncing;

namespace Junction.Warehouses.Tests.ControlPlane;

/// <summary>
/// Loaders that reach no database: every connection test answers <see cref="Check"/>, and a connection describes the
/// tables set in <see cref="Tables"/> for a schema, or fails with <see cref="ConnectFailure"/> when it is set. Every
/// settings object the control plane passed is kept, so that tests see what a real loader would get.
/// </summary>
internal sealed class FakeWarehouseLoaders : IWarehouseLoaders
{
    public ConnectionCheck Check { get; set; } = ConnectionCheck.Ok;

    public string? ConnectFailure { get; set; }

    public ConcurrentDictionary<string, IReadOnlyDictionary<string, TableSchema>> Tables { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Kind, JsonObject Settings)> Created { get; } = new();

    public IWarehouseLoader Create(string kind, JsonObject settings)
    {
        Created.Enqueue((kind, settings.DeepClone().AsObject()));
        return new Loader(this);
    }

    private sealed class Loader(FakeWarehouseLoaders owner) : IWarehouseLoader
    {
        public Task<ConnectionCheck> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(owner.Check);

        public Task<IWarehouseConnection> ConnectAsync(CancellationToken cancellationToken) =>
            owner.ConnectFailure is { } failure
                ? throw new WarehouseException(failure)
                : Task.FromResult<IWarehouseConnection>(new Connection(owner));
    }

    private sealed class Connection(FakeWarehouseLoaders owner) : IWarehouseConnection
    {
        public Task<IReadOnlyDictionary<string, TableSchema>> DescribeAsync(string schema, CancellationToken cancellationToken) =>
            Task.FromResult(owner.Tables.GetValueOrDefault(schema) ?? new Dictionary<string, TableSchema>());

        public Task ApplyAsync(IReadOnlyList<SchemaChange> changes, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<string, long>> LoadAsync(
            string schema, IReadOnlyList<TableLoad> tables, IReadOnlyList<Discard> discards, DateTimeOffset dedupeSince, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());

        public Task<IReadOnlyList<TableSummary>> ListTablesAsync(string schema, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TableSummary>>([]);

        public Task<TablePreview> PreviewAsync(string schema, string table, int limit, CancellationToken cancellationToken) =>
            Task.FromResult(new TablePreview([], []));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>
/// A sync history held in a list (a record whose warehouse is <see cref="AnyWarehouse"/> belongs to every warehouse),
/// and a "sync now" that records which warehouses it was asked for.
/// </summary>
internal sealed class FakeWarehouseSyncs : IWarehouseSyncs
{
    public const string AnyWarehouse = "*";

    public List<SyncRecord> Records { get; } = [];

    public ConcurrentQueue<string> Requested { get; } = new();

    public bool Accepts { get; set; } = true;

    public Task<IReadOnlyList<SyncRecord>> ListAsync(string warehouseId, string? sourceId, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SyncRecord>>(Matching(warehouseId, sourceId).Skip(offset).Take(count).ToList());

    public Task<int> CountAsync(string warehouseId, string? sourceId, CancellationToken cancellationToken) =>
        Task.FromResult(Matching(warehouseId, sourceId).Count());

    public bool SyncNow(string warehouseId)
    {
        Requested.Enqueue(warehouseId);
        return Accepts;
    }

    private IEnumerable<SyncRecord> Matching(string warehouseId, string? sourceId) =>
        Records.Where(r => (r.WarehouseId == warehouseId || r.WarehouseId == AnyWarehouse) && (sourceId is null || r.SourceId == sourceId)).OrderByDescending(r => r.Start);
}
