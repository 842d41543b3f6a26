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
    private readonly ConcurrentDictionary<ViolationKey, Queue<ViolationSample>> _samples = new();
    private readonly int _keep = Math.Max(1, options.Value.ViolationSamplesKept);

    /// <summary>Records the violations of one event; <paramref name="event"/> is the event as checked, kept as a sample.</summary>
    public void Record(
        string sourceId, string type, string name, IReadOnlyList<Violation> violations, DateTimeOffset at, string? messageId, ReadOnlyMemory<byte> @event)
    {
        var hour = at.ToUnixTimeSeconds() / 3600;
        string? text = null;
        foreach (var violation in violations)
        {
            var key = new ViolationKey(sourceId, type, name, violation.Type, violation.Field);
            var cell = _counts.GetOrAdd((key, hour), static _ => new CountCell());
            lock (cell)
            {
                cell.Count++;
                if (at >= cell.LastSeen)
                {
                    cell.LastSeen = at;
                    cell.Description = violation.Description;
                }
            }

            text ??= Encoding.UTF8.GetString(@event.Span);
            var queue = _samples.GetOrAdd(key, static _ => new Queue<ViolationSample>());
            lock (queue)
            {
                if (queue.Count == _keep)
                {
                    queue.Dequeue();
                }

                queue.Enqueue(new ViolationSample(key, at, violation.Description, messageId, text));
            }
        }
    }

    /// <summary>
    /// Takes every count and sample recorded since the last drain. Empty count cells are forgotten once their hour is two
    /// hours older than <paramref name="now"/>, when no event can still be counted in them; an empty sample queue is
    /// forgotten at once (at worst a sample recorded at that very moment is lost, never a count).
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
                    continue;
                }
            }

            if (hour < oldHour)
            {
                _counts.TryRemove((key, hour), out _);
            }
        }

        var samples = new List<ViolationSample>();
        foreach (var (key, queue) in _samples)
        {
            lock (queue)
            {
                if (queue.Count > 0)
                {
                    samples.AddRange(queue);
                    queue.Clear();
                    continue;
                }
            }

            _samples.TryRemove(key, out _);
        }

        return new ViolationBatch(counts, samples);
    }

    /// <summary>Puts a batch back after a failed write.</summary>
    public void Restore(ViolationBatch batch)
    {
        foreach (var count in batch.Counts)
        {
            var cell = _counts.GetOrAdd((count.Key, count.Hour), static _ => new CountCell());
            lock (cell)
            {
                cell.Count += count.Count;
                if (count.LastSeen >= cell.LastSeen)
                {
                    cell.LastSeen = count.LastSeen;
                    cell.Description = count.Description;
                }
            }
        }

        foreach (var sample in batch.Samples)
        {
            var queue = _samples.GetOrAdd(sample.Key, static _ => new Queue<ViolationSample>());
            lock (queue)
            {
                if (queue.Count < _keep)
                {
                    queue.Enqueue(sample);
                }
            }
        }
    }

    private sealed class CountCell
    {
        public long Count { get; set; }

        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

        public string Description { get; set; } = "";
    }
}
