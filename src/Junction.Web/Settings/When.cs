using System.Globalization;

namespace Junction.Web.Settings;

/// <summary>Times as the settings pages show them: in UTC (the server does not know the reader's zone), and how long ago.</summary>
internal static class When
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => Count((int)elapsed.TotalMinutes, "minute") + " ago",
            { TotalDays: < 1 } => Count((int)elapsed.TotalHours, "hour") + " ago",
            { TotalDays: < 60 } => Count((int)elapsed.TotalDays, "day") + " ago",
            _ => "on " + at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>How long until a time in the future, or how long ago it passed.</summary>
    public static string Until(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        return left <= TimeSpan.Zero ? Ago(at, now)
            : left.TotalHours < 1 ? "in " + Count(Math.Max(1, (int)left.TotalMinutes), "minute")
            : left.TotalDays < 1 ? "in " + Count((int)Math.Round(left.TotalHours), "hour")
            : "in " + Count((int)Math.Round(left.TotalDays), "day");
    }

    private static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : string.Create(CultureInfo.InvariantCulture, $"{n} {unit}s");
}
