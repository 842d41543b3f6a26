using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Junction.Bench.DeliveryLatency;

/// <summary>
/// The figures of the measured events (after the warm-up): counts, and percentiles of receipt at the hook minus the
/// Tracking API's 200, of receipt minus send, and of the 200 itself; then the same per 10-second window.
/// </summary>
internal static class Report
{
    public static string Format(BenchSettings settings, RunResult result)
    {
        var measured = Enumerable.Range(settings.WarmupEvents, settings.TotalEvents - settings.WarmupEvents).ToList();
        var acked = measured.Where(i => result.AckedAt[i] != 0).ToList();
        var received = measured.Where(i => result.ReceivedAt[i] != 0).ToList();
        var fromAck = acked.Where(i => result.ReceivedAt[i] != 0).Select(i => Ms(result.ReceivedAt[i] - result.AckedAt[i])).ToArray();
        var fromSend = received.Select(i => Ms(result.ReceivedAt[i] - result.SentAt[i])).ToArray();
        var ack = acked.Select(i => Ms(result.AckedAt[i] - result.SentAt[i])).ToArray();
        var c = result.Conditions;
        var text = new StringBuilder();
        void Line(string line) => text.AppendLine(line);
        Line($"Delivery latency, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {settings.Rate} events/s, {settings.WarmupSeconds} s warm-up, "
            + $"{settings.DurationSeconds} s measured, {settings.Users} users; server arguments: {(settings.ServerArguments.Count == 0 ? "(defaults)" : string.Join(' ', settings.ServerArguments))}");
        Line($"conditions: load average {c.LoadBefore} at the start, {c.LoadAfter} at the end; CPU (% of one core, {c.Cores} cores): "
            + $"Junction {c.JunctionCpu:F0} %, this program {c.BenchCpu:F0} %, other processes {c.OtherCpu:F0} %");
        Line($"sent {measured.Count:N0} in {result.SendSeconds:F1} s ({measured.Count / result.SendSeconds:N0}/s); answered 200: {acked.Count:N0}; "
            + $"errors: {measured.Count - acked.Count:N0} ({result.Errors:N0} in the whole run)");
        Line($"received at the hook: {received.Count:N0}; missing: {measured.Count - received.Count:N0}; duplicates: {result.Duplicates:N0} (whole run); "
            + $"unreadable: {result.Unreadable:N0}; received before the client saw the 200: {fromAck.Count(v => v < 0):N0}");
        Line("");
        Line("| ms | p50 | p95 | p99 | max |");
        Line("| --- | ---: | ---: | ---: | ---: |");
        Line(Row("200 → received at the hook", fromAck));
        Line(Row("sent → received at the hook", fromSend));
        Line(Row("sent → 200 (Tracking API)", ack));
        Line("");
        Line("per 10 s window (200 → received): p50 / p99 / max ms");
        for (var from = 0; from < measured.Count; from += settings.Rate * 10)
        {
            var window = acked.Where(i => i - settings.WarmupEvents >= from && i - settings.WarmupEvents < from + (settings.Rate * 10) && result.ReceivedAt[i] != 0)
                .Select(i => Ms(result.ReceivedAt[i] - result.AckedAt[i])).ToArray();
            Array.Sort(window);
            Line(window.Length == 0
                ? $"  {from / settings.Rate,3}–{(from / settings.Rate) + 10,3} s: nothing received"
                : $"  {from / settings.Rate,3}–{(from / settings.Rate) + 10,3} s: {Percentile(window, 50),7:F1} / {Percentile(window, 99),7:F1} / {window[^1],7:F1}");
        }

        return text.ToString();
    }

    private static string Row(string name, double[] values)
    {
        if (values.Length == 0)
        {
            return $"| {name} | – | – | – | – |";
        }

        Array.Sort(values);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(values, 50):F1} | {Percentile(values, 95):F1} | {Percentile(values, 99):F1} | {values[^1]:F1} |");
    }

    /// <summary>Nearest rank on sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
