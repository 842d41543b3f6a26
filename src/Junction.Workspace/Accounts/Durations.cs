using System.Globalization;

namespace Junction.Workspace.Accounts;

/// <summary>Durations in words, for emails and pages: "7 days", "1 hour", "15 minutes" (rounded up to the minute).</summary>
internal static class Durations
{
    public static string Describe(TimeSpan duration)
    {
        var minutes = Math.Max(1, (long)Math.Ceiling(duration.TotalMinutes));
        return minutes % (24 * 60) == 0 ? Count(minutes / (24 * 60), "day")
            : minutes % 60 == 0 ? Count(minutes / 60, "hour")
            : Count(minutes, "minute");
    }

    private static string Count(long count, string unit) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? "" : "s");
}
