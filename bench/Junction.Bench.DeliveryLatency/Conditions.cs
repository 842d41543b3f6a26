using System.Diagnostics;
using System.Globalization;

namespace Junction.Bench.DeliveryLatency;

/// <summary>
/// The machine during the measured phase: load averages at its start and end, and CPU (in % of one core) used by
/// Junction, by this program (load generator and hook), and by everything else, from /proc.
/// </summary>
internal sealed record Conditions(string LoadBefore, string LoadAfter, double JunctionCpu, double BenchCpu, double OtherCpu, int Cores)
{
    public static Conditions Between(Sample before, Sample after)
    {
        var seconds = (after.At - before.At) / (double)Stopwatch.Frequency;
        double Pct(double ticks) => 100 * ticks / Sample.TicksPerSecond / seconds;
        var junction = after.ServerTicks - before.ServerTicks;
        var bench = (after.Self - before.Self).TotalSeconds * 100 / seconds;
        var machine = after.MachineTicks - before.MachineTicks;
        return new Conditions(before.LoadAverage, after.LoadAverage, Pct(junction), bench, Math.Max(0, Pct(machine - junction) - bench), Environment.ProcessorCount);
    }

    internal sealed record Sample(long At, string LoadAverage, long ServerTicks, long MachineTicks, TimeSpan Self)
    {
        /// <summary>USER_HZ: /proc reports CPU time in these (100 on Linux).</summary>
        public const double TicksPerSecond = 100;

        public static Sample Take(int serverPid) => new(
            Stopwatch.GetTimestamp(),
            string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]),
            ProcessTicks(serverPid),
            MachineBusyTicks(),
            Process.GetCurrentProcess().TotalProcessorTime);

        // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after its ')'.
        private static long ProcessTicks(int pid)
        {
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        // Everything but idle and iowait: user, nice, system, irq, softirq, steal.
        private static long MachineBusyTicks()
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(cpu[i], CultureInfo.InvariantCulture));
        }
    }
}
