using System.Globalization;
using Junction.Ingest.Volume;

namespace Junction.Web.Sources.Overview;

/// <summary>
/// A time range of the Overview: its length and the bucket the chart counts in. Short ranges count by the minute, long
/// ones by the hour, from the volume store's minute and hour tables. The chart labels one bucket in
/// <see cref="LabelEvery"/>, so that the labels stay readable.
/// </summary>
internal sealed record OverviewRange(string Key, string Label, TimeSpan Length, TimeSpan Bucket, int LabelEvery)
{
    public static readonly OverviewRange TenMinutes = new("10m", "10 minutes", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), 1);
    public static readonly OverviewRange OneHour = new("1h", "1 hour", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), 10);
    public static readonly OverviewRange OneDay = new("24h", "24 hours", TimeSpan.FromHours(24), TimeSpan.FromHours(1), 3);
    public static readonly OverviewRange SevenDays = new("7d", "7 days", TimeSpan.FromDays(7), TimeSpan.FromHours(1), 24);

    public static IReadOnlyList<OverviewRange> All { get; } = [TenMinutes, OneHour, OneDay, SevenDays];

    public bool ByMinute => Bucket == TimeSpan.FromMinutes(1);

    public int Buckets => (int)(Length.Ticks / Bucket.Ticks);

    /// <summary>
    /// The buckets' span at <paramref name="now"/>: the last bucket is the one <paramref name="now"/> falls in (still
    /// filling), and there are <see cref="Buckets"/> of them.
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End) Window(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - (now.UtcTicks % Bucket.Ticks);
        var end = new DateTimeOffset(ticks, TimeSpan.Zero) + Bucket;
        return (end - Length, end);
    }

    /// <summary>The chart's label of a bucket: its start (UTC) on one bucket in <see cref="LabelEvery"/>, else nothing.</summary>
    public string BucketLabel(DateTimeOffset start, int index) =>
        index % LabelEvery != 0
            ? ""
            : start.UtcDateTime.ToString(Length > TimeSpan.FromDays(1) ? "ddd HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>The counts of one bucket of the chart.</summary>
internal sealed record VolumeBucket(DateTimeOffset Start, long Received, long Rejected);

/// <summary>One row of a breakdown: received and rejected events of a type or a name, and its share of those received.</summary>
internal sealed record VolumeShare(string Label, long Received, long Rejected, double Share);

/// <summary>
/// What the Overview shows for a source over a range: a bucket per minute or hour (every bucket, empty ones too), the
/// totals, and the breakdowns by event type and by event name, largest first. Received means stored after dedupe;
/// rejected means refused at ingest; duplicates (repeats of a messageId) are counted apart.
/// </summary>
internal sealed record VolumeSummary(
    OverviewRange Range,
    IReadOnlyList<VolumeBucket> Buckets,
    long Received,
    long Rejected,
    long Duplicates,
    IReadOnlyList<VolumeShare> ByType,
    IReadOnlyList<VolumeShare> ByName)
{
    /// <summary>How the name breakdown shows events without a name (identify, group and alias calls, unnamed pages).</summary>
    public const string Unnamed = "(no name)";

    public bool IsEmpty => Received == 0 && Rejected == 0 && Duplicates == 0;

    /// <summary>Sums the store's rows (of any sources' buckets inside the window) into the range's buckets.</summary>
    public static VolumeSummary From(OverviewRange range, DateTimeOffset start, IEnumerable<VolumeRow> rows)
    {
        var received = new long[range.Buckets];
        var rejected = new long[range.Buckets];
        long duplicates = 0;
        var kept = new List<VolumeRow>();
        foreach (var row in rows)
        {
            var index = (int)Math.Floor((row.Bucket - start).Ticks / (double)range.Bucket.Ticks);
            if (index < 0 || index >= range.Buckets)
            {
                continue;
            }

            received[index] += row.Accepted;
            rejected[index] += row.Rejected;
            duplicates += row.Duplicates;
            kept.Add(row);
        }

        var totalReceived = received.Sum();
        var buckets = Enumerable.Range(0, range.Buckets)
            .Select(i => new VolumeBucket(start + (range.Bucket * i), received[i], rejected[i]))
            .ToList();
        return new VolumeSummary(
            range, buckets, totalReceived, rejected.Sum(), duplicates,
            Breakdown(kept, r => r.EventType, totalReceived),
            Breakdown(kept, r => r.EventName.Length == 0 ? Unnamed : r.EventName, totalReceived));
    }

    private static List<VolumeShare> Breakdown(List<VolumeRow> rows, Func<VolumeRow, string> label, long totalReceived) =>
        rows.GroupBy(label, StringComparer.Ordinal)
            .Select(g =>
            {
                var received = g.Sum(r => r.Accepted);
                return new VolumeShare(g.Key, received, g.Sum(r => r.Rejected), totalReceived == 0 ? 0 : (double)received / totalReceived);
            })
            .Where(s => s.Received > 0 || s.Rejected > 0)
            .OrderByDescending(s => s.Received)
            .ThenByDescending(s => s.Rejected)
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
}
