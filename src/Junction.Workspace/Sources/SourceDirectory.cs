using System.Collections.Frozen;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Sources;

/// <summary>
/// What the data plane needs to know about a source on every event, and what access decisions need: its labels, so
/// that deciding whether a caller may see or change a source never reads the database.
/// </summary>
internal sealed record SourceInfo(string Id, string WorkspaceId, string Slug, string? Name, string CatalogId, bool Enabled)
{
    /// <summary>The labels on the source (at most one value per key).</summary>
    public IReadOnlyList<Label> Labels { get; init; } = [];
}

/// <summary>Finds sources by write key or id without touching the database.</summary>
internal interface ISourceLookup
{
    SourceInfo? FindByWriteKey(string writeKey);

    SourceInfo? FindById(string sourceId);

    /// <summary>Every source of a workspace.</summary>
    IReadOnlyList<SourceInfo> InWorkspace(string workspaceId);
}

/// <summary>
/// An in-memory snapshot of every source with its write keys and labels, rebuilt whenever the control plane changes a source
/// (<see cref="PolledSnapshot.RefreshAsync"/>) and every few seconds, so that changes made by another process (the
/// <c>tokens</c> verb, a second server) are picked up too. Reads are lock-free dictionary lookups.
/// </summary>
internal sealed partial class SourceDirectory(
    IDbContextFactory<JunctionDbContext> contexts,
    TimeProvider time,
    ILogger<SourceDirectory> logger) : PolledSnapshot(time, logger), ISourceLookup
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public SourceInfo? FindByWriteKey(string writeKey) =>
        _snapshot.ByWriteKey.TryGetValue(writeKey, out var source) ? source : null;

    public SourceInfo? FindById(string sourceId) =>
        _snapshot.ById.TryGetValue(sourceId, out var source) ? source : null;

    public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) =>
        _snapshot.ById.Values.Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.Slug, StringComparer.Ordinal).ToList();

    protected override string What => "sources";

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Include(s => s.WriteKeys).ToListAsync(cancellationToken);
        var labels = (await db.SourceLabels.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(l => l.SourceId, l => new Label(l.Key, l.Value), StringComparer.Ordinal);
        var byId = new Dictionary<string, SourceInfo>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, SourceInfo>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var info = new SourceInfo(source.Id, source.WorkspaceId, source.Slug, source.Name, source.CatalogId, source.Enabled)
            {
                Labels = labels[source.Id].OrderBy(l => l.Key, StringComparer.Ordinal).ToList(),
            };
            byId[source.Id] = info;
            foreach (var key in source.WriteKeys)
            {
                byKey[key.Key] = info;
            }
        }

        _snapshot = new Snapshot(byId.ToFrozenDictionary(StringComparer.Ordinal), byKey.ToFrozenDictionary(StringComparer.Ordinal));
    }


    private sealed record Snapshot(FrozenDictionary<string, SourceInfo> ById, FrozenDictionary<string, SourceInfo> ByWriteKey)
    {
        public static readonly Snapshot Empty = new(
            FrozenDictionary<string, SourceInfo>.Empty, FrozenDictionary<string, SourceInfo>.Empty);
    }
}
