using System.Diagnostics;
using System.Text.Json;
using Junction.EventLog;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Schema;
using Junction.Warehouses.Staging;

namespace Junction.Bench.WarehouseLoad;

/// <summary>
/// Where the time of one load goes: the same steps as a sync, timed one by one on one load of staged events —
/// read the staging, parse and map to rows, plan, apply the schema changes, write (stage and insert) and commit.
/// </summary>
internal static class Phases
{
    public static async Task RunAsync(StagingLogs staging, string warehouseId, IWarehouseLoader loader, int events, TimeProvider time)
    {
        var clock = Stopwatch.StartNew();
        var entries = new List<LogEntry>(events);
        var position = LogPosition.Start;
        while (entries.Count < events)
        {
            var read = await staging.Open(warehouseId, "src-bench").ReadAsync(0, position, events, TimeSpan.Zero, CancellationToken.None);
            entries.AddRange(read);
            position = read[^1].Position;
        }

        var readTime = clock.Elapsed;
        clock.Restart();
        var rows = new List<EventRow>(events * 2);
        foreach (var entry in entries)
        {
            using var document = JsonDocument.Parse(entry.Payload);
            EventRows.Map(document.RootElement, rows);
        }

        var mapTime = clock.Elapsed;
        clock.Restart();
        var plan = SchemaPlanner.Plan("phases", new Dictionary<string, TableSchema>(), rows, new PlannerOptions { LoadedAt = time.GetUtcNow(), IncludeSchemaCreation = true });
        var planTime = clock.Elapsed;
        await using var connection = await loader.ConnectAsync(CancellationToken.None);
        clock.Restart();
        await connection.ApplyAsync(plan.Changes, CancellationToken.None);
        var applyTime = clock.Elapsed;
        clock.Restart();
        var written = await connection.LoadAsync("phases", plan.Tables, plan.Discards, time.GetUtcNow().AddDays(-7), CancellationToken.None);
        var loadTime = clock.Elapsed;
        Console.WriteLine(
            $"  phases of one load of {events:N0} events ({written.Values.Sum():N0} rows): read {readTime.TotalSeconds:N2} s, parse + map {mapTime.TotalSeconds:N2} s, "
            + $"plan {planTime.TotalSeconds:N2} s, schema {applyTime.TotalSeconds:N2} s, write {loadTime.TotalSeconds:N2} s");
    }
}
