using System.Collections.Concurrent;
using System.Text;
using Junction.Protocols.Plans;
using Junction.Protocols.Processing;
using Microsoft.Extensions.Options;

namespace Junction.Protocols.Violations;

/// <summary>What violations are counted by: a source, an event (type and name), a violation type and a field.</summary>
internal readonly record struct ViolationKey(string SourceId, string Type, string Name, string ViolationType, string Field);

/// <summary>Violations of one key in one hour, with the newest description and when the last one happened.</summary>
internal sealed record ViolationCount(ViolationKey Key, long Hour, long Count, DateTimeOffset LastSeen, string Description);

/// <summary>One event that had a violation, kept as a sample (the event as it was checked, after transformations).</summary>
internal sealed record ViolationSample(ViolationKey Key, DateTimeOffset At, string Description, string? MessageId, string Event);

/// <summary>Everything the recorder held, taken at once for the store.</summary>
internal sealed record ViolationBatch(IReadOnlyList<ViolationCount> Counts, IReadOnlyList<ViolationSample> Samples)
{
    public bool IsEmpty => Counts.Count == 0 && Samples.Count == 0;
}

/// <summary>
/// Violations in memory until <see cref="ProtocolsFlusher"/> writes them to <see cref="ViolationStore"/>: a count per
/// key and hour, and the newest <see cref="ProtocolsProcessingOptions.ViolationSamplesKept"/> sample events per key since
/// the last write. Recording takes a short lock on the key's cell; the sample's text is decoded once per event.
/// </summary>
internal sealed class ViolationRecorder(IOptions<ProtocolsProcessingOptions> options)
{
    private readonly ConcurrentDictionary<(ViolationKey Key, long Hour), CountCell> _counts = new();
    private readonly ConcurrentDictionary<ViolationKey, SampleQueue> _samples = new();
    private readonly int _keep = Math.Max(1, options.Value.ViolationSamplesKept);

    /// <summary>
    /// Records the violations of one event; <paramref name="event"/> is the event as checked, kept as a sample. The
    /// sample is kept before the count and <see cref="Drain"/> takes the counts before the samples, so a violation count
    /// that reaches the store always has its sample there too.
    /// </summary>
    public void Record(
        string sourceId, string type, string name, IReadOnlyList<Violation> violations, DateTimeOffset at, string? messageId, ReadOnlyMemory<byte> @event)
    {
        var hour = at.ToUnixTimeSeconds() / 3600;
        string? text = null;
        foreach (var violation in violations)
        {
            var key = new ViolationKey(sourceId, type, name, violation.Type, violation.Field);
            text ??= Encoding.UTF8.GetString(@event.Span);
            AddSample(new ViolationSample(key, at, violation.Description, messageId, text), newest: true);
            AddCount(key, hour, 1, at, violation.Description);
        }
    }

    /// <summary>
    /// Takes every count and sample recorded since the last drain. Empty count cells are forgotten once their hour is two
    /// hours older than <paramref name="now"/>, and empty sample queues at once; a cell or queue is retired under its
    /// lock as it is forgotten, so a violation being recorded into it at that moment goes to a new one instead of
    /// being lost.
    /// </summary>
    public ViolationBatch Drain(DateTimeOffset now)
    {
        var oldHour = now.ToUnixTimeSeconds() / 3600 - 2;
        var counts = new List<ViolationCount>();
        foreach (var ((key, hour), cell) in _counts)
        {
            lock (cell)
            {
                if (cell.Count > 0)
                {
                    counts.Add(new ViolationCount(key, hour, cell.Count, cell.LastSeen, cell.Description));
                    cell.Count = 0;
                }
                else if (hour < oldHour)
                {
                    cell.Retired = true;
                    _counts.TryRemove((key, hour), out _);
                }
            }
        }

        var samples = new List<ViolationSample>();
        foreach (var (key, queue) in _samples)
        {
            lock (queue)
            {
                if (queue.Items.Count > 0)
                {
                    samples.AddRange(queue.Items);
                    queue.Items.Clear();
                }
                else
                {
                    queue.Retired = true;
                    _samples.TryRemove(key, out _);
                }
            }
        }

        return new ViolationBatch(counts, samples);
    }

    /// <summary>Puts a batch back after a failed write; where samples recorded since leave room, the newest restored ones fill it.</summary>
    public void Restore(ViolationBatch batch)
    {
        foreach (var count in batch.Counts)
        {
            AddCount(count.Key, count.Hour, count.Count, count.LastSeen, count.Description);
        }

        foreach (var sample in batch.Samples.Reverse())
        {
            AddSample(sample, newest: false);
        }
    }

    private void AddCount(ViolationKey key, long hour, long count, DateTimeOffset lastSeen, string description)
    {
        while (true)
        {
            var cell = _counts.GetOrAdd((key, hour), static _ => new CountCell());
            lock (cell)
            {
                if (cell.Retired)
                {
                    continue;
                }

                cell.Count += count;
                if (lastSeen >= cell.LastSeen)
                {
                    cell.LastSeen = lastSeen;
                    cell.Description = description;
                }

                return;
            }
        }
    }

    /// <summary>Keeps a sample: a newest one pushes out the oldest when the queue is full; a restored one only fills a gap.</summary>
    private void AddSample(ViolationSample sample, bool newest)
    {
        while (true)
        {
            var queue = _samples.GetOrAdd(sample.Key, static _ => new SampleQueue());
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue;
                }

                if (newest && queue.Items.Count == _keep)
                {
                    queue.Items.Dequeue();
                }

                if (queue.Items.Count < _keep)
                {
                    queue.Items.Enqueue(sample);
                }

                return;
            }
        }
    }

    /// <summary>One key's count in one hour; read and written under a lock on the cell, never used again once retired.</summary>
    private sealed class CountCell
    {
        public long Count { get; set; }

        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

        public string Description { get; set; } = "";

        public bool Retired { get; set; }
    }

    /// <summary>One key's newest samples; read and written under a lock on the queue, never used again once retired.</summary>
    private sealed class SampleQueue
    {
        public Queue<ViolationSample> Items { get; } = new();

        public bool Retired { get; set; }
    }
}
