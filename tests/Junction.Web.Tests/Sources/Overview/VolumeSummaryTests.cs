using System.Globalization;
using Junction.Ingest.Volume;
using Junction.Web.Sources.Overview;

namespace Junction.Web.Tests.Sources.Overview;

public sealed class VolumeSummaryTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-04T10:27:30Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("10m", 10, "2026-03-04T10:18:00Z", "2026-03-04T10:28:00Z")]
    [InlineData("1h", 60, "2026-03-04T09:28:00Z", "2026-03-04T10:28:00Z")]
    [InlineData("24h", 24, "2026-03-03T11:00:00Z", "2026-03-04T11:00:00Z")]
    [InlineData("7d", 168, "2026-02-25T11:00:00Z", "2026-03-04T11:00:00Z")]
    public void ShortRangesCountByTheMinuteLongOnesByTheHourEndingWithTheBucketOfNow(string key, int buckets, string start, string end)
    {
        var range = OverviewRange.All.Single(r => r.Key == key);

        var window = range.Window(Now);

        Assert.Equal(buckets, range.Buckets);
        Assert.Equal(range.Length < TimeSpan.FromDays(1), range.ByMinute);
        Assert.Equal(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), window.Start);
        Assert.Equal(DateTimeOffset.Parse(end, CultureInfo.InvariantCulture), window.End);
    }

    [Fact]
    public void RowsAreSummedIntoTheirBucketsAndEveryBucketIsThereEvenEmpty()
    {
        var range = OverviewRange.TenMinutes;
        var (start, _) = range.Window(Now);

        var summary = VolumeSummary.From(range, start,
        [
            Row("track", "Order Completed", start, accepted: 3, rejected: 1),
            Row("track", "Signed Up", start, accepted: 2),
            Row("page", "", start.AddMinutes(9), accepted: 5, duplicates: 2),
            Row("track", "Too Early", start.AddMinutes(-1), accepted: 100),
        ]);

        Assert.Equal(10, summary.Buckets.Count);
        Assert.Equal((5L, 1L), (summary.Buckets[0].Received, summary.Buckets[0].Rejected));
        Assert.Equal(5, summary.Buckets[9].Received);
        Assert.All(summary.Buckets.Skip(1).Take(8), b => Assert.Equal((0L, 0L), (b.Received, b.Rejected)));
        Assert.Equal((10L, 1L, 2L), (summary.Received, summary.Rejected, summary.Duplicates));
        Assert.False(summary.IsEmpty);
    }

    [Fact]
    public void TheBreakdownsGiveEachTypeAndNameItsShareOfTheEventsReceivedLargestFirst()
    {
        var range = OverviewRange.OneDay;
        var (start, _) = range.Window(Now);

        var summary = VolumeSummary.From(range, start,
        [
            Row("track", "Order Completed", start, accepted: 3),
            Row("track", "Signed Up", start.AddHours(2), accepted: 1, rejected: 4),
            Row("identify", "", start.AddHours(5), accepted: 4),
            Row("unknown", "", start.AddHours(5), rejected: 2),
        ]);

        Assert.Equal(
            [("track", 4L, 4L, 0.5), ("identify", 4L, 0L, 0.5), ("unknown", 0L, 2L, 0.0)],
            summary.ByType.Select(s => (s.Label, s.Received, s.Rejected, s.Share)));
        Assert.Equal(
            [(VolumeSummary.Unnamed, 4L, 2L), ("Order Completed", 3L, 0L), ("Signed Up", 1L, 4L)],
            summary.ByName.Select(s => (s.Label, s.Received, s.Rejected)));
    }

    [Fact]
    public void NoRowsMakeAnEmptySummary()
    {
        var summary = VolumeSummary.From(OverviewRange.SevenDays, Now, []);

        Assert.True(summary.IsEmpty);
        Assert.Equal(168, summary.Buckets.Count);
        Assert.Empty(summary.ByType);
    }

    [Fact]
    public void TheChartLabelsOneBucketInEachStepInUtc()
    {
        var (start, _) = OverviewRange.OneHour.Window(Now);

        var labels = Enumerable.Range(0, 60).Select(i => OverviewRange.OneHour.BucketLabel(start.AddMinutes(i), i)).ToList();

        Assert.Equal(["09:28", "09:38", "09:48", "09:58", "10:08", "10:18"], labels.Where(l => l.Length > 0));
        Assert.Equal("Wed 11:00", OverviewRange.SevenDays.BucketLabel(OverviewRange.SevenDays.Window(Now).Start, 0));
    }

    private static VolumeRow Row(string type, string name, DateTimeOffset bucket, long accepted = 0, long rejected = 0, long duplicates = 0) =>
        new("src_1", type, name, bucket, accepted, rejected, duplicates);
}
