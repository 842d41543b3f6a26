using System.Collections.Frozen;

namespace Junction.Protocols.Observation;

/// <summary>A source's blocked events (by log tag, <c>track:Order Completed</c>) and blocked property paths per event tag.</summary>
internal sealed class SourceFlags(FrozenSet<string> blockedEvents, FrozenDictionary<string, string[]> blockedProperties)
{
    /// <summary>Whether events with this tag are dropped.</summary>
    public bool IsBlocked(string tag) => blockedEvents.Contains(tag);

    /// <summary>The property paths removed from events with this tag, or null when none.</summary>
    public string[]? BlockedPropertiesOf(string tag) => blockedProperties.GetValueOrDefault(tag);
}

/// <summary>
/// The schema view's blocks, in memory for the processor: loaded from <see cref="SchemaStore"/> at start and again after
/// every change made through <see cref="SchemaInventory"/>. A source without any block has no entry, so the processor
/// tells with one lookup that there is nothing to do. Reads are lock-free (an immutable snapshot swapped whole).
/// </summary>
internal sealed class SchemaFlags
{
    private readonly SchemaStore _store;
    private readonly Lock _reloading = new();
    private volatile FrozenDictionary<string, SourceFlags> _bySource;

    public SchemaFlags(SchemaStore store)
    {
        _store = store;
        _bySource = Build(store.LoadFlags());
    }

    /// <summary>The source's blocks, or null when it has none.</summary>
    public SourceFlags? ForSource(string sourceId) => _bySource.GetValueOrDefault(sourceId);

    /// <summary>Reads the blocks from the store again.</summary>
    public void Reload()
    {
        lock (_reloading)
        {
            _bySource = Build(_store.LoadFlags());
        }
    }

    private static FrozenDictionary<string, SourceFlags> Build(SchemaFlagRows rows)
    {
        var sources = rows.BlockedEvents.Select(e => e.SourceId).Concat(rows.BlockedProperties.Select(p => p.SourceId)).Distinct(StringComparer.Ordinal);
        return sources.ToFrozenDictionary(
            source => source,
            source => new SourceFlags(
                rows.BlockedEvents.Where(e => e.SourceId == source).Select(e => e.Type + ":" + e.Name).ToFrozenSet(StringComparer.Ordinal),
                rows.BlockedProperties.Where(p => p.SourceId == source)
                    .GroupBy(p => p.Type + ":" + p.Name, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Path).ToArray(), StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }
}
