using Junction.Warehouses.Staging;
using Junction.Warehouses.Syncing;

namespace Junction.Warehouses.Tests.Syncing;

public sealed class SyncSchedulesTests
{
    private static readonly DateTimeOffset LastStart = new(2026, 3, 28, 22, 17, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(60, 60)]
    [InlineData(300, 300)]
    [InlineData(86_400, 86_400)]
    [InlineData(10, 60)]
    [InlineData(200_000, 86_400)]
    public void AnIntervalScheduleSyncsThatLongAfterTheLastStartWithinOneMinuteAndOneDay(int seconds, int expected)
    {
        var next = SyncSchedules.Next(new SyncSchedule(TimeSpan.FromSeconds(seconds)), LastStart);

        Assert.Equal(LastStart + TimeSpan.FromSeconds(expected), next);
    }

    [Fact]
    public void AnAdvancedScheduleSyncsAtTheTopOfTheNextEnabledHourInItsTimeZone()
    {
        // 22:17 UTC is 23:17 in Berlin (CET, before the switch to summer time that night).
        var schedule = new SyncSchedule(TimeSpan.FromHours(1), new HashSet<int> { 6, 18 }, "Europe/Berlin");

        var next = SyncSchedules.Next(schedule, LastStart);

        // 06:00 on March 29th in Berlin is summer time (UTC+2), so 04:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void AnAdvancedScheduleNeverAnswersTheHourItIsIn()
    {
        var schedule = new SyncSchedule(TimeSpan.FromHours(1), new HashSet<int> { 22 }, "UTC");

        var next = SyncSchedules.Next(schedule, LastStart);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void AnUnknownTimeZoneIsTakenAsUtc()
    {
        Assert.Equal(TimeZoneInfo.Utc, SyncSchedules.FindZone("Mars/Olympus_Mons"));
    }
}
