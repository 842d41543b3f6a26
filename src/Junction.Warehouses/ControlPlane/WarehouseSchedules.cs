using System.Globalization;

namespace Junction.Warehouses.ControlPlane;

/// <summary>
/// A warehouse's advanced sync schedule (Segment's): whether it is on, the hours of the day it syncs at and the time
/// zone those hours are in. <see cref="Hours"/> and <see cref="TimeZone"/> are null when none was ever given.
/// </summary>
internal sealed record AdvancedSchedule(bool Enabled, IReadOnlySet<int>? Hours, string? TimeZone);

/// <summary>One hour of an advanced schedule as given: on or off.</summary>
internal readonly record struct ScheduleHour(int HourOfDay, bool Enabled);

/// <summary>
/// The rules of sync schedules: an interval from one minute to one day (five minutes by default), and advanced
/// schedules whose hours are 0 to 23 in a tz database time zone. Hours are stored as text (<c>0,6,12</c>) so that the
/// control plane's model stays provider-neutral.
/// </summary>
internal static class WarehouseSchedules
{
    public const int DefaultIntervalSeconds = 300;
    public const int MinIntervalSeconds = 60;
    public const int MaxIntervalSeconds = 86_400;

    /// <summary>The time zone of an advanced schedule whose hours were given without one.</summary>
    public const string DefaultTimeZone = "UTC";

    public static bool IsValidInterval(long seconds) => seconds is >= MinIntervalSeconds and <= MaxIntervalSeconds;

    /// <summary>Whether <paramref name="name"/> is a time zone this machine knows by its tz database name (<c>America/New_York</c>, <c>UTC</c>).</summary>
    public static bool IsKnownTimeZone(string name) =>
        name.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) && zone.HasIanaId;

    /// <summary>Stored hours back as a set; null for none stored, and malformed parts are skipped.</summary>
    public static IReadOnlySet<int>? ParseHours(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var hours = new SortedSet<int>();
        foreach (var part in stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour is >= 0 and <= 23)
            {
                hours.Add(hour);
            }
        }

        return hours;
    }

    /// <summary>The enabled hours as stored: ascending, comma-separated.</summary>
    public static string FormatHours(IEnumerable<int> hours) =>
        string.Join(',', hours.Distinct().Order().Select(h => h.ToString(CultureInfo.InvariantCulture)));
}
