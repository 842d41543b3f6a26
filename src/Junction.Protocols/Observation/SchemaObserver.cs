using System.Collections.Concurrent;
using System.Text.Json;
using Junction.Protocols.Processing;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Observation;

/// <summary>One day's counts of an event: every event as it arrived, and those the processor blocked.</summary>
internal readonly record struct DayCount(long Day, long Total, long Blocked);

/// <summary>A property path seen on sampled events, with the types seen and when.</summary>
internal sealed record PathObservation(string Path, JsonTypes Types, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>What was counted and observed of one event (source, type, name) since the last drain.</summary>
internal sealed record EventObservation(
    string SourceId,
    string Type,
    string Name,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    IReadOnlyList<DayCount> Days,
    IReadOnlyList<PathObservation> Paths,
    IReadOnlyList<KeyValuePair<string, long>> Removed);

/// <summary>Events blocked in one hour for one reason.</summary>
internal readonly record struct BlockedCount(string SourceId, string Reason, long Hour, long Count);

/// <summary>Everything the observer held, taken at once for the store.</summary>
internal sealed record ObservationBatch(IReadOnlyList<EventObservation> Events, IReadOnlyList<BlockedCount> Blocked)
{
    public bool IsEmpty => Events.Count == 0 && Blocked.Count == 0;
}

/// <summary>
/// The schema view's observations, in memory until <see cref="ProtocolsFlusher"/> drains them to the store. Cheap on the
/// hot path by design: every event is counted by its log tag (<c>track:Order Completed</c>) with one dictionary lookup
/// and a short lock on that event's cell, without parsing; only a sample of events have their properties walked — the
/// first <see cref="ProtocolsProcessingOptions.SampleFirstPerMinute"/> of each event name in every minute (so that a new
/// or rare event is seen at once) and one in <see cref="ProtocolsProcessingOptions.SampleOneIn"/> after that (so that a
/// property sent only now and then is found in time). Times and days are those of the events' arrival in the log, not
/// of the clock. A source with more than <see cref="ProtocolsProcessingOptions.MaxEventsPerSource"/> event names has the
/// rest counted under <see cref="OtherNames"/>, which is never stored.
/// </summary>
internal sealed class SchemaObserver(IOptions<ProtocolsProcessingOptions> options)
{
    public const string OtherNames = "(other names)";
    private readonly ConcurrentDictionary<(string SourceId, string Tag), Cell> _cells = new();
    private readonly ConcurrentDictionary<string, int> _cellsPerSource = new(StringComparer.Ordinal);
    private readonly Dictionary<(string SourceId, string Reason, long Hour), long> _blocked = [];
    private readonly int _sampleFirst = Math.Max(0, options.Value.SampleFirstPerMinute);
    private readonly int _sampleOneIn = Math.Max(1, options.Value.SampleOneIn);
    private readonly int _maxEvents = Math.Max(1, options.Value.MaxEventsPerSource);
    private readonly int _maxPaths = Math.Max(1, options.Value.MaxPropertiesPerEvent);

    /// <summary>Counts one arriving event; true when it is in the sample whose properties should be observed.</summary>
    public bool Count(string sourceId, string tag, DateTimeOffset at)
    {
        var cell = CellOf(sourceId, tag);
        lock (cell)
        {
            cell.Add(Day(at), 1, 0);
            cell.See(at);
            var minute = at.ToUnixTimeSeconds() / 60;
            if (cell.Minute != minute)
            {
                cell.Minute = minute;
                cell.TakenThisMinute = 0;
            }

            cell.Seen++;
            if (cell.IsOther)
            {
                return false;
            }

            if (cell.TakenThisMinute < _sampleFirst)
            {
                cell.TakenThisMinute++;
                return true;
            }

            return cell.Seen % _sampleOneIn == 0;
        }
    }

    /// <summary>Records the property (or trait) paths and types of a sampled event.</summary>
    public void Observe(string sourceId, string tag, JsonElement @event, DateTimeOffset at)
    {
        var cell = CellOf(sourceId, tag);
        if (cell.IsOther)
        {
            return;
        }

        var paths = new Dictionary<string, JsonTypes>(StringComparer.Ordinal);
        SchemaPaths.Collect(@event, cell.Type, paths, _maxPaths);
        if (paths.Count == 0)
        {
            return;
        }

        lock (cell)
        {
            foreach (var (path, types) in paths)
            {
                cell.SeePath(path, types, at, at, _maxPaths);
            }
        }
    }

    /// <summary>
    /// Counts an event the processor blocked, for its reason's hour and then for its event's day. <see cref="Drain"/>
    /// takes the cells before the reasons, so a batch that holds the event's count always holds its reason too: the
    /// schema never shows a blocked event without saying why.
    /// </summary>
    public void CountBlocked(string sourceId, string tag, string reason, DateTimeOffset at)
    {
        AddBlocked(sourceId, reason, at.ToUnixTimeSeconds() / 3600, 1);
        var cell = CellOf(sourceId, tag);
        lock (cell)
        {
            cell.Add(Day(at), 0, 1);
        }
    }

    /// <summary>Counts a blocked property removed from an event.</summary>
    public void CountRemoved(string sourceId, string tag, string path)
    {
        var cell = CellOf(sourceId, tag);
        lock (cell)
        {
            cell.Removed ??= new Dictionary<string, long>(StringComparer.Ordinal);
            cell.Removed[path] = cell.Removed.GetValueOrDefault(path) + 1;
        }
    }

    /// <summary>Takes everything counted and observed since the last drain, leaving the cells and the reasons empty.</summary>
    public ObservationBatch Drain()
    {
        var events = new List<EventObservation>();
        foreach (var cell in _cells.Values)
        {
            if (cell.IsOther)
            {
                lock (cell)
                {
                    cell.Take();
                }

                continue;
            }

            EventObservation? taken;
            lock (cell)
            {
                taken = cell.Take();
            }

            if (taken is not null)
            {
                events.Add(taken);
            }
        }

        List<BlockedCount> blocked;
        lock (_blocked)
        {
            blocked = [.. _blocked.Select(b => new BlockedCount(b.Key.SourceId, b.Key.Reason, b.Key.Hour, b.Value))];
            _blocked.Clear();
        }

        return new ObservationBatch(events, blocked);
    }

    /// <summary>Puts a batch back after a failed write, so that it is written with the next one.</summary>
    public void Restore(ObservationBatch batch)
    {
        foreach (var observation in batch.Events)
        {
            var cell = CellOf(observation.SourceId, observation.Type + ":" + observation.Name);
            lock (cell)
            {
                foreach (var day in observation.Days)
                {
                    cell.Add(day.Day, day.Total, day.Blocked);
                }

                if (observation.FirstSeen is { } first && observation.LastSeen is { } last)
                {
                    cell.See(first);
                    cell.See(last);
                }

                foreach (var path in observation.Paths)
                {
                    cell.SeePath(path.Path, path.Types, path.FirstSeen, path.LastSeen, _maxPaths);
                }

                foreach (var (path, count) in observation.Removed)
                {
                    cell.Removed ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    cell.Removed[path] = cell.Removed.GetValueOrDefault(path) + count;
                }
            }
        }

        foreach (var blocked in batch.Blocked)
        {
            AddBlocked(blocked.SourceId, blocked.Reason, blocked.Hour, blocked.Count);
        }
    }

    private void AddBlocked(string sourceId, string reason, long hour, long count)
    {
        lock (_blocked)
        {
            _blocked[(sourceId, reason, hour)] = _blocked.GetValueOrDefault((sourceId, reason, hour)) + count;
        }
    }

    private static long Day(DateTimeOffset at) => at.ToUnixTimeSeconds() / 86400;

    private Cell CellOf(string sourceId, string tag)
    {
        if (_cells.TryGetValue((sourceId, tag), out var cell))
        {
            return cell;
        }

        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        var type = colon < 0 ? tag : tag[..colon];
        var name = colon < 0 ? "" : tag[(colon + 1)..];
        if (_cellsPerSource.AddOrUpdate(sourceId, 1, static (_, n) => n + 1) > _maxEvents)
        {
            _cellsPerSource.AddOrUpdate(sourceId, 0, static (_, n) => n - 1);
            return _cells.GetOrAdd((sourceId, type + ":" + OtherNames), static (key, t) => new Cell(key.SourceId, t, OtherNames, isOther: true), type);
        }

        var added = new Cell(sourceId, type, name, isOther: false);
        var stored = _cells.GetOrAdd((sourceId, tag), added);
        if (!ReferenceEquals(stored, added))
        {
            _cellsPerSource.AddOrUpdate(sourceId, 0, static (_, n) => n - 1);
        }

        return stored;
    }

    /// <summary>One event's pending counts and observations; every member is read and written under a lock on the cell.</summary>
    private sealed class Cell(string sourceId, string type, string name, bool isOther)
    {
        public string SourceId { get; } = sourceId;

        public string Type { get; } = type;

        public string Name { get; } = name;

        public bool IsOther { get; } = isOther;

        public long Minute { get; set; } = -1;

        public int TakenThisMinute { get; set; }

        public long Seen { get; set; }

        public Dictionary<string, long>? Removed { get; set; }

        private Dictionary<long, (long Total, long Blocked)>? _days;
        private Dictionary<string, PathObservation>? _paths;
        private DateTimeOffset? _first;
        private DateTimeOffset? _last;

        public void Add(long day, long total, long blocked)
        {
            _days ??= [];
            var (t, b) = _days.GetValueOrDefault(day);
            _days[day] = (t + total, b + blocked);
        }

        public void See(DateTimeOffset at)
        {
            _first = _first is { } first && first <= at ? first : at;
            _last = _last is { } last && last >= at ? last : at;
        }

        public void SeePath(string path, JsonTypes types, DateTimeOffset first, DateTimeOffset last, int maxPaths)
        {
            _paths ??= new Dictionary<string, PathObservation>(StringComparer.Ordinal);
            if (_paths.TryGetValue(path, out var seen))
            {
                _paths[path] = new PathObservation(path, seen.Types | types, first < seen.FirstSeen ? first : seen.FirstSeen, last > seen.LastSeen ? last : seen.LastSeen);
            }
            else if (_paths.Count < maxPaths)
            {
                _paths[path] = new PathObservation(path, types, first, last);
            }
        }

        /// <summary>The pending observation, or null when nothing happened since the last take; leaves the cell empty.</summary>
        public EventObservation? Take()
        {
            if (_days is null && _paths is null && Removed is null)
            {
                return null;
            }

            var taken = new EventObservation(
                SourceId,
                Type,
                Name,
                _first,
                _last,
                _days?.Select(d => new DayCount(d.Key, d.Value.Total, d.Value.Blocked)).ToList() ?? [],
                _paths?.Values.ToList() ?? [],
                Removed?.ToList() ?? []);
            _days = null;
            _paths = null;
            Removed = null;
            _first = null;
            _last = null;
            return taken;
        }
    }
}
