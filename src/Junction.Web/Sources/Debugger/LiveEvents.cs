using Junction.Ingest.Debugger;

namespace Junction.Web.Sources.Debugger;

/// <summary>
/// The events one debugger page holds: the newest <see cref="Capacity"/> shown (newest first), the newest of those that
/// arrived while paused, and those that arrived since the page last drew itself. The feed's reader hands entries to
/// <see cref="Add"/> from any thread; only <see cref="Flush"/>, called by the page on its own render context a few
/// times a second, moves them into the list, so a burst of events costs the page one render rather than one each.
/// </summary>
internal sealed class LiveEvents
{
    /// <summary>The most events a page holds, as many as the feed keeps for a source.</summary>
    public const int Capacity = DebuggerFeed.Capacity;

    private readonly Lock _lock = new();
    private readonly Queue<DebuggerEntry> _arrived = new();
    private readonly HashSet<long> _loaded = [];
    private int _arrivedDropped;
    private List<EventRow> _shown = [];
    private List<EventRow> _waiting = [];

    /// <summary>The events on the page, newest first.</summary>
    public IReadOnlyList<EventRow> Shown => _shown;

    public bool Paused { get; private set; }

    /// <summary>How many events arrived while paused (more than are kept when over <see cref="Capacity"/>).</summary>
    public int WaitingCount { get; private set; }

    /// <summary>How many events arrived since the last <see cref="Flush"/> (at most <see cref="Capacity"/>).</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _arrived.Count;
            }
        }
    }

    public bool HasArrivals => Queued > 0;

    /// <summary>Fills the list with the events the feed already holds (newest first), before the live ones.</summary>
    public void Load(IReadOnlyList<DebuggerEntry> newestFirst)
    {
        foreach (var entry in newestFirst.Take(Capacity))
        {
            _loaded.Add(entry.Sequence);
            _shown.Add(new EventRow(entry));
        }
    }

    /// <summary>Queues an event that just arrived; safe from any thread. Past <see cref="Capacity"/> the oldest queued go.</summary>
    public void Add(DebuggerEntry entry)
    {
        lock (_lock)
        {
            _arrived.Enqueue(entry);
            if (_arrived.Count > Capacity)
            {
                _arrived.Dequeue();
                _arrivedDropped++;
            }
        }
    }

    /// <summary>
    /// Moves the queued events onto the page, or, while paused, behind the waiting counter. Answers whether anything
    /// the page shows changed.
    /// </summary>
    public bool Flush()
    {
        DebuggerEntry[] arrived;
        int dropped;
        lock (_lock)
        {
            if (_arrived.Count == 0)
            {
                return false;
            }

            arrived = [.. _arrived];
            dropped = _arrivedDropped;
            _arrived.Clear();
            _arrivedDropped = 0;
        }

        // An event that arrived while the page read the feed's recent ones is already on the page.
        var fresh = arrived.Where(e => !_loaded.Contains(e.Sequence)).Reverse().Select(e => new EventRow(e)).ToList();
        if (fresh.Count == 0)
        {
            return false;
        }

        if (Paused)
        {
            _waiting = Prepend(fresh, _waiting);
            WaitingCount += fresh.Count + dropped;
        }
        else
        {
            _shown = Prepend(fresh, _shown);
        }

        return true;
    }

    /// <summary>Stops the list from changing; arrivals are counted and kept until <see cref="Resume"/>.</summary>
    public void Pause() => Paused = true;

    /// <summary>Shows what arrived while paused (and since), and goes live again.</summary>
    public void Resume()
    {
        Flush();
        Paused = false;
        _shown = Prepend(_waiting, _shown);
        _waiting = [];
        WaitingCount = 0;
    }

    private static List<EventRow> Prepend(List<EventRow> newer, List<EventRow> older)
    {
        var list = new List<EventRow>(Math.Min(Capacity, newer.Count + older.Count));
        list.AddRange(newer.Take(Capacity));
        list.AddRange(older.Take(Capacity - list.Count));
        return list;
    }
}
