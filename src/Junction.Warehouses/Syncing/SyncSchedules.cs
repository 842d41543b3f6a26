using Junction.Warehouses.Staging;

namespace Junction.Warehouses.Syncing;

/// <summary>
/// When a warehouse syncs next. An interval schedule syncs every interval after the last sync started; an advanced
/// schedule (Segment's) syncs at the top of each enabled hour of the day in its time zone.
/// </summary>
internal static class SyncSchedules
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>The next time a warehouse with this schedule syncs, after a sync that started at <paramref name="lastStart"/>.</summary>
    public static DateTimeOffset Next(SyncSchedule schedule, DateTimeOffset lastStart)
    {
        if (schedule.Hours is not { Count: > 0 } hours)
        {
            var interval = schedule.Interval < MinInterval ? MinInterval : schedule.Interval > MaxInterval ? MaxInterval : schedule.Interval;
            return lastStart + interval;
        }

        var zone = FindZone(schedule.TimeZone);
        var local = TimeZoneInfo.ConvertTime(lastStart, zone);
        var hour = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);

        // At most two days of hours to look through: every enabled hour comes once a day.
        for (var i = 1; i <= 48; i++)
        {
            var candidate = TimeZoneInfo.ConvertTime(hour.AddHours(i), zone);
            if (hours.Contains(candidate.Hour))
            {
                return candidate.ToUniversalTime();
            }
        }

        return lastStart + MaxInterval;
    }

    /// <summary>The time zone of a tz database name; UTC for an unknown one (the control plane refuses those).</summary>
    public static TimeZoneInfo FindZone(string name) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
}
