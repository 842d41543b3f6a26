using System.Collections.Frozen;
using System.IO.Hashing;
using System.Text;
using Junction.Destinations.Framework;
using Junction.Fql;
using Junction.Mapping;
using Junction.Subscriptions;
using Junction.Workspace;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Destinations.ControlPlane;

/// <summary>What access decisions need about a destination: whose it is and which source it belongs to.</summary>
internal sealed record DestinationInfo(string Id, string WorkspaceId, string SourceId, string Name);

/// <summary>
/// An in-memory snapshot of every destination, compiled for the data plane (settings decrypted, triggers, mappings
/// and filters compiled) and indexed by source, so that <see cref="ForSource"/> is one dictionary lookup per event.
/// The control plane rebuilds it after every change it saves (<see cref="PolledSnapshot.RefreshAsync"/>); it is also reloaded every
/// few seconds so that changes made elsewhere (another process, a source deleted with its destinations) are seen.
/// <see cref="Changed"/> completes whenever a rebuild finds the configuration different.
/// </summary>
internal sealed partial class DestinationDirectory(
    IDbContextFactory<JunctionDbContext> contexts,
    DestinationCatalog catalog,
    DestinationSettings settings,
    TimeProvider time,
    ILogger<DestinationDirectory> logger) : PolledSnapshot(time, logger), IDestinationDirectory
{
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Changed => Volatile.Read(ref _changed).Task;

    public IReadOnlyList<DestinationInstance> ForSource(string sourceId) =>
        _snapshot.BySource.TryGetValue(sourceId, out var instances) ? instances : [];

    public IReadOnlyList<DestinationInstance> All() => _snapshot.All;

    public DestinationInstance? Find(string destinationId) => _snapshot.Instances.GetValueOrDefault(destinationId);

    /// <summary>Who a destination belongs to, including one whose catalog entry is no longer listed.</summary>
    public DestinationInfo? FindInfo(string destinationId) => _snapshot.Infos.GetValueOrDefault(destinationId);

    protected override string What => "destinations";

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var destinations = await db.Destinations.AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var subscriptions = (await db.DestinationSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken))
            .ToLookup(s => s.DestinationId, StringComparer.Ordinal);
        var filters = (await db.DestinationFilters.AsNoTracking().OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).ToListAsync(cancellationToken))
            .ToLookup(f => f.DestinationId, StringComparer.Ordinal);

        var versions = destinations.ToDictionary(d => d.Id, d => Version(d, subscriptions[d.Id], filters[d.Id]), StringComparer.Ordinal);
        var fingerprint = Fingerprint(versions);
        if (fingerprint == _snapshot.Fingerprint && !ReferenceEquals(_snapshot, Snapshot.Empty))
        {
            return;
        }

        var infos = new Dictionary<string, DestinationInfo>(StringComparer.Ordinal);
        var instances = new Dictionary<string, DestinationInstance>(StringComparer.Ordinal);
        foreach (var destination in destinations)
        {
            infos[destination.Id] = new DestinationInfo(destination.Id, destination.WorkspaceId, destination.SourceId, destination.Name);
            if (catalog.Find(destination.CatalogId) is { } code)
            {
                instances[destination.Id] = Compile(code, destination, subscriptions[destination.Id], filters[destination.Id], versions[destination.Id]);
            }
        }

        var all = instances.Values.ToList();
        var bySource = all.Where(i => i.Enabled)
            .GroupBy(i => i.SourceId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<DestinationInstance>)g.ToArray(), StringComparer.Ordinal);
        _snapshot = new Snapshot(
            infos.ToFrozenDictionary(StringComparer.Ordinal), instances.ToFrozenDictionary(StringComparer.Ordinal), bySource, all, fingerprint);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private DestinationInstance Compile(
        IDestination code,
        DestinationEntity destination,
        IEnumerable<DestinationSubscriptionEntity> subscriptions,
        IEnumerable<DestinationFilterEntity> filters,
        long version)
    {
        var definition = code.Definition;
        var compiled = new List<CompiledSubscription>();
        if (!definition.HasMappings)
        {
            // A classic destination has no subscriptions of its own: one implicit subscription, named by the
            // destination's id, gives every supported event to its classic action.
            if (definition.Actions.FirstOrDefault(a => a.Classic) is { } classic)
            {
                compiled.Add(new CompiledSubscription(destination.Id, definition.Name, classic, null, null));
            }
        }
        else
        {
            foreach (var subscription in subscriptions.Where(s => s.Enabled))
            {
                if (CompileSubscription(definition, subscription) is { } ready)
                {
                    compiled.Add(ready);
                }
            }
        }

        var filterSet = DestinationFilterSet.Compile(filters.Select(DestinationFilterJson.ToDefinition));
        return new DestinationInstance(
            destination.Id,
            destination.WorkspaceId,
            destination.SourceId,
            destination.Name,
            code,
            destination.Enabled,
            settings.Unprotect(destination.SettingsJson),
            compiled,
            filterSet,
            version);
    }

    /// <summary>A stored subscription ready to run, or null (logged) when it no longer compiles: it is left out, never half-run.</summary>
    private CompiledSubscription? CompileSubscription(DestinationDefinition definition, DestinationSubscriptionEntity subscription)
    {
        var action = definition.FindAction(subscription.ActionId);
        var trigger = Trigger.Parse(subscription.Trigger);
        var mapping = CompiledMapping.Compile(subscription.MappingJson);
        if (action is null || !trigger.IsValid || !mapping.Succeeded)
        {
            var reason = action is null ? $"action {subscription.ActionId} is not in the catalog"
                : !trigger.IsValid ? "its trigger does not parse: " + trigger.Error
                : "its mapping does not compile: " + string.Join("; ", mapping.Errors);
            LogSubscriptionSkipped(logger, subscription.Id, subscription.DestinationId, reason);
            return null;
        }

        return new CompiledSubscription(subscription.Id, subscription.Name, action, trigger.Trigger, mapping.Mapping);
    }

    /// <summary>A hash of everything about one destination, so that any change to it changes its version.</summary>
    private static long Version(
        DestinationEntity destination, IEnumerable<DestinationSubscriptionEntity> subscriptions, IEnumerable<DestinationFilterEntity> filters)
    {
        var text = new StringBuilder()
            .Append(destination.Id).Append('\u001f').Append(destination.CatalogId).Append('\u001f').Append(destination.Name).Append('\u001f')
            .Append(destination.Enabled).Append('\u001f').Append(destination.SourceId).Append('\u001f').Append(destination.SettingsJson);
        foreach (var s in subscriptions)
        {
            text.Append('\u001e').Append(s.Id).Append('\u001f').Append(s.Name).Append('\u001f').Append(s.ActionId).Append('\u001f')
                .Append(s.Trigger).Append('\u001f').Append(s.MappingJson).Append('\u001f').Append(s.Enabled);
        }

        foreach (var f in filters)
        {
            text.Append('\u001d').Append(f.Id).Append('\u001f').Append(f.Title).Append('\u001f').Append(f.If).Append('\u001f')
                .Append(f.ActionsJson).Append('\u001f').Append(f.Enabled);
        }

        return (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static long Fingerprint(Dictionary<string, long> versions)
    {
        var text = new StringBuilder();
        foreach (var (id, version) in versions.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(id).Append(':').Append(version).Append(';');
        }

        return (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} of destination {DestinationId} is left out: {Reason}.")]
    private static partial void LogSubscriptionSkipped(ILogger logger, string subscriptionId, string destinationId, string reason);

    private sealed record Snapshot(
        FrozenDictionary<string, DestinationInfo> Infos,
        FrozenDictionary<string, DestinationInstance> Instances,
        FrozenDictionary<string, IReadOnlyList<DestinationInstance>> BySource,
        IReadOnlyList<DestinationInstance> All,
        long Fingerprint)
    {
        public static readonly Snapshot Empty = new(
            FrozenDictionary<string, DestinationInfo>.Empty,
            FrozenDictionary<string, DestinationInstance>.Empty,
            FrozenDictionary<string, IReadOnlyList<DestinationInstance>>.Empty,
            [],
            0);
    }
}
