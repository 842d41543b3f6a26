using System.Globalization;

namespace Junction.Web.Destinations.Delivery;

/// <summary>
/// A time range of Event Delivery: its length and the bucket the chart counts in (a minute over an hour, an hour over
/// a day or a week). The chart labels one bucket in <see cref="LabelEvery"/>, so that the labels stay readable.
/// </summary>
internal sealed record DeliveryRange(string Key, string Label, TimeSpan Length, TimeSpan Bucket, int LabelEvery)
{
    public static readonly DeliveryRange OneHour = new("1h", "1 hour", TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), 10);
    public static readonly DeliveryRange OneDay = new("24h", "24 hours", TimeSpan.FromHours(24), TimeSpan.FromHours(1), 3);
    public static readonly DeliveryRange SevenDays = new("7d", "7 days", TimeSpan.FromDays(7), TimeSpan.FromHours(1), 24);

    public static IReadOnlyList<DeliveryRange> All { get; } = [OneHour, OneDay, SevenDays];

    public string BucketName => Bucket == TimeSpan.FromMinutes(1) ? "minute" : "hour";

    /// <summary>The range at <paramref name="now"/>: whole buckets, the last one being the bucket <paramref name="now"/> falls in.</summary>
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
