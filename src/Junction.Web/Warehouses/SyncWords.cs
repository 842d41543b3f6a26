using System.Globalization;
using Junction.Warehouses.ControlPlane;
using Junction.Warehouses.Staging;
using Junction.Warehouses.Syncing;
using Junction.Web.Destinations.Delivery;
using MudBlazor;

namespace Junction.Web.Warehouses;

/// <summary>A sync interval the pages offer, in seconds, with its words.</summary>
internal sealed record SyncInterval(int Seconds, string Label);

/// <summary>Syncs, schedules and connection tests in the words the warehouse pages show them in.</summary>
internal static class SyncWords
{
    /// <summary>The intervals offered when adding a warehouse and in its Settings, from every minute to daily.</summary>
    public static readonly IReadOnlyList<SyncInterval> Intervals =
    [
        new(60, "Every minute"),
        new(300, "Every 5 minutes"),
        new(900, "Every 15 minutes"),
        new(1_800, "Every 30 minutes"),
        new(3_600, "Every hour"),
        new(21_600, "Every 6 hours"),
        new(86_400, "Every day"),
    ];

    /// <summary>An interval in words: one of <see cref="Intervals"/>, or "Every 2 h 30 min" for one set through the Public API.</summary>
    public static string Interval(int seconds) =>
        Intervals.FirstOrDefault(i => i.Seconds == seconds)?.Label ?? "Every " + DeliveryWords.Duration(TimeSpan.FromSeconds(seconds));

    /// <summary>The intervals to offer for a warehouse: the usual ones, and its own when it is another (set through the Public API).</summary>
    public static IReadOnlyList<SyncInterval> IntervalsWith(int seconds) =>
        Intervals.Any(i => i.Seconds == seconds) ? Intervals : [.. Intervals.Append(new SyncInterval(seconds, Interval(seconds))).OrderBy(i => i.Seconds)];

    /// <summary>When a warehouse syncs, in words: its interval, or the hours of its advanced schedule when that is on.</summary>
    public static string Schedule(int intervalSeconds, AdvancedSchedule? advanced) =>
        advanced is { Enabled: true, Hours.Count: > 0 }
            ? $"At {Hours(advanced)}, its advanced schedule"
            : Interval(intervalSeconds);

    /// <summary>The hours of an advanced schedule: "00:00, 06:00 (Europe/Paris)".</summary>
    public static string Hours(AdvancedSchedule advanced) =>
        $"{string.Join(", ", (advanced.Hours ?? new HashSet<int>()).Order().Select(Clock))} ({advanced.TimeZone ?? WarehouseSchedules.DefaultTimeZone})";

    /// <summary>An hour of the day on the clock: "06:00".</summary>
    public static string Clock(int hour) => hour.ToString("00", CultureInfo.InvariantCulture) + ":00";

    /// <summary>
    /// About when the next scheduled sync starts: a schedule's next time after the last sync, stepped past now. The
    /// scheduler also checks on its own between syncs (a check with nothing to load is not in the history), so this is
    /// an estimate; null when nothing has synced yet.
    /// </summary>
    public static DateTimeOffset? NextSync(int intervalSeconds, AdvancedSchedule? advanced, DateTimeOffset? lastStart, DateTimeOffset now)
    {
        if (lastStart is not { } last)
        {
            return null;
        }

        var schedule = advanced is { Enabled: true, Hours.Count: > 0 }
            ? new SyncSchedule(TimeSpan.FromSeconds(intervalSeconds), advanced.Hours, advanced.TimeZone ?? WarehouseSchedules.DefaultTimeZone)
            : new SyncSchedule(TimeSpan.FromSeconds(intervalSeconds));
        var next = SyncSchedules.Next(schedule, last);
        for (var i = 0; next <= now && i < 100_000; i++)
        {
            next = SyncSchedules.Next(schedule, next);
        }

        return next;
    }

    /// <summary>A sync's status as Segment's sync history names it.</summary>
    public static string Status(SyncStatus status) => status switch
    {
        SyncStatus.Running => "RUNNING",
        SyncStatus.Success => "SUCCESS",
        SyncStatus.Partial => "PARTIAL",
        _ => "FAILED",
    };

    public static Color StatusColor(SyncStatus status) => status switch
    {
        SyncStatus.Running => Color.Info,
        SyncStatus.Success => Color.Success,
        SyncStatus.Partial => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>What a status means, for the chip's tooltip and the expanded row.</summary>
    public static string StatusMeaning(SyncStatus status) => status switch
    {
        SyncStatus.Running => "Still loading.",
        SyncStatus.Success => "Everything staged was loaded.",
        SyncStatus.Partial => "Some rows were loaded; the notices say what was not.",
        _ => "Nothing was loaded; the notices say why. The next sync tries again, with what this one did not load.",
    };

    /// <summary>What started a sync.</summary>
    public static string Trigger(string trigger) => trigger switch
    {
        "schedule" => "Schedule",
        "manual" => "Sync now",
        "retry" => "Retry",
        _ => trigger,
    };

    /// <summary>How long a sync took, or has been running.</summary>
    public static string Duration(SyncRecord sync, DateTimeOffset now) =>
        DeliveryWords.Duration(((sync.End ?? now) - sync.Start) is var span && span > TimeSpan.Zero ? span : TimeSpan.Zero);

    public static string Rows(long rows) => rows == 1 ? "1 row" : DeliveryWords.Count(rows) + " rows";

    /// <summary>What to check when Junction cannot connect to a warehouse of this kind.</summary>
    public static string WhatToDo(string kindSlug) => kindSlug switch
    {
        WarehouseCatalog.DuckDbSlug =>
            "Check the database file's path: Junction must be able to create the file and write to it, and no other program may hold it open.",
        WarehouseCatalog.PostgresSlug =>
            "Check the host, port and database name, that the server accepts connections from this machine (and the SSL mode it needs), "
            + "that the user and password are right, and that the user may create schemas in the database (GRANT CREATE ON DATABASE … TO …).",
        _ => "This kind of warehouse is not in this version of Junction; it can only be deleted.",
    };

    public static string Time(DateTimeOffset time) => DeliveryWords.Time(time);
}
