using System.Collections.Concurrent;
using Junction.Events;

namespace Junction.Ingest.Volume;

internal enum VolumeKind
{
    /// <summary>Stored and counted once (after dedupe).</summary>
    Accepted,

    /// <summary>Refused at ingest (validation, size).</summary>
    Rejected,

    /// <summary>A repeat of a messageId already seen within the dedupe window.</summary>
    Duplicate,
}

/// <summary>A counter's identity; <see cref="EventType"/> is the call name, or <c>unknown</c> for events refused before their type was known.</summary>
internal readonly record struct VolumeKey(string SourceId, string EventType, string EventName, long Minute);

internal readonly record struct VolumeCounts(long Accepted, long Rejected, long Duplicates);

/// <summary>
/// Counts events per source, type, name and minute in memory; <see cref="VolumeFlusher"/> drains the counts to the
/// volume store every few seconds. Counting is an interlocked increment, cheap enough for every event.
/// A source that sends more than <see cref="MaxNamesPerMinute"/> distinct event names in a minute (ids in names,
/// usually) has the rest counted under <see cref="OtherNames"/> so the store stays small.
/// </summary>
internal sealed class VolumeCounter
{
    public const int MaxNamesPerMinute = 500;
    public const string OtherNames = "(other names)";
    public const string UnknownType = "unknown";
    private readonly ConcurrentDictionary<VolumeKey, Cell> _cells = new();
    private readonly ConcurrentDictionary<(string SourceId, long Minute), int> _namesPerMinute = new();

    public void Add(string sourceId, EventType? type, string? eventName, DateTimeOffset at, VolumeKind kind, long count = 1)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
        var name = eventName ?? "";
        var key = new VolumeKey(sourceId, type?.Name() ?? UnknownType, name, minute);
        if (!_cells.TryGetValue(key, out var cell))
        {
            if (name.Length > 0 && _namesPerMinute.AddOrUpdate((sourceId, minute), 1, static (_, n) => n + 1) > MaxNamesPerMinute)
            {
                key = key with { EventName = OtherNames };
            }

            cell = _cells.GetOrAdd(key, static _ => new Cell());
        }

        switch (kind)
        {
            case VolumeKind.Accepted: Interlocked.Add(ref cell.Accepted, count); break;
            case VolumeKind.Rejected: Interlocked.Add(ref cell.Rejected, count); break;
            case VolumeKind.Duplicate: Interlocked.Add(ref cell.Duplicates, count); break;
        }
    }

    /// <summary>
    /// Takes back the count of an accepted event that a later processing stage dropped (Protocols blocked it), under
    /// the type and name it arrived with: volume counts what went on to destinations and warehouses, as Segment leaves
    /// blocked events out of its volume.
    /// </summary>
    public void Withdraw(string sourceId, EventType type, string? eventName, DateTimeOffset at) =>
        Add(sourceId, type, eventName, at, VolumeKind.Accepted, -1);

    /// <summary>Takes every non-zero count, leaving zeros behind, and forgets minutes older than <paramref name="forgetBefore"/>.</summary>
    public List<KeyValuePair<VolumeKey, VolumeCounts>> Drain(DateTimeOffset forgetBefore)
    {
        var drained = new List<KeyValuePair<VolumeKey, VolumeCounts>>();
        var oldMinute = forgetBefore.ToUnixTimeSeconds() / 60;
        foreach (var (key, cell) in _cells)
        {
            var counts = new VolumeCounts(
                Interlocked.Exchange(ref cell.Accepted, 0),
                Interlocked.Exchange(ref cell.Rejected, 0),
                Interlocked.Exchange(ref cell.Duplicates, 0));
            if (counts != default)
            {
                drained.Add(new(key, counts));
            }
            else if (key.Minute < oldMinute)
            {
                _cells.TryRemove(key, out _);
            }
        }

        foreach (var key in _namesPerMinute.Keys)
        {
            if (key.Minute < oldMinute)
            {
                _namesPerMinute.TryRemove(key, out _);
            }
        }

        return drained;
    }

    /// <summary>Puts counts back after a failed flush so they are written next time.</summary>
    public void Restore(IEnumerable<KeyValuePair<VolumeKey, VolumeCounts>> counts)
    {
        foreach (var (key, value) in counts)
        {
            var cell = _cells.GetOrAdd(key, static _ => new Cell());
            Interlocked.Add(ref cell.Accepted, value.Accepted);
            Interlocked.Add(ref cell.Rejected, value.Rejected);
            Interlocked.Add(ref cell.Duplicates, value.Duplicates);
        }
    }

    private sealed class Cell
    {
        public long Accepted;
        public long Rejected;
        public long Duplicates;
    }
}
