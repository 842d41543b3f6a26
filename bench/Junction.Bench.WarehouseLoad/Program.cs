using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Junction.EventLog;
using Junction.Testing;
using Junction.Warehouses.Loading;
using Junction.Warehouses.Staging;
using Junction.Warehouses.Syncing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Junction.Bench.WarehouseLoad;

/// <summary>
/// Load throughput into the warehouses: stages a mix of normalized events (<see cref="MixedEvents"/>) the way the
/// processor does, then times one sync (read staging → Segment's tables → plan → bulk load, in loads of
/// <c>--load-size</c> events) into a fresh DuckDB file and into a fresh PostgreSQL database (a private server started
/// from the machine's binaries, with its default durability). The baseline, run in the same process, is the least any
/// loader must do: read the staged events back and parse each once.
/// Usage: <c>dotnet run -c Release --project bench/Junction.Bench.WarehouseLoad -- [--events N] [--load-size N] [--targets duckdb,postgres]</c>;
/// with <c>--freshness [--rate N] [--minutes N]</c> it measures freshness instead (<see cref="Freshness"/>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--freshness"))
        {
            return await Freshness.RunAsync(Option(args, "--rate", 1000), Option(args, "--minutes", 4));
        }

        var events = Option(args, "--events", 1_000_000);
        var loadSize = Option(args, "--load-size", new WarehouseOptions().LoadSize);
        var targets = (args.SkipWhile(a => a != "--targets").Skip(1).FirstOrDefault() ?? "duckdb,postgres").Split(',');
        using var data = new TempDirectory();
        var time = TimeProvider.System;
        await using var staging = new StagingLogs(data.Path, time, NullLogger<StagingLogs>.Instance);
        Console.WriteLine($"{events:N0} mixed events (track 50%, identify 25%, page 25%; ~20 properties each), loads of {loadSize:N0} events, {Environment.ProcessorCount} cores");

        var baseline = await BaselineAsync(staging, events);
        Console.WriteLine($"baseline (read staged events and parse each once): {events / baseline.TotalSeconds:N0} events/s ({baseline.TotalSeconds:N1} s)");

        var loaders = new WarehouseLoaders(time, NullLogger<WarehouseLoaders>.Instance);
        var options = Options.Create(new WarehouseOptions { LoadSize = loadSize });
        foreach (var target in targets)
        {
            await using var postgres = target == "postgres" ? await Postgres.StartPrivateAsync(durable: true) : null;
            JsonObject settings = target switch
            {
                "duckdb" => new JsonObject { ["path"] = Path.Combine(data.Path, "bench.duckdb") },
                "postgres" => new JsonObject
                {
                    ["host"] = postgres!.Host,
                    ["port"] = postgres.Port,
                    ["database"] = await postgres.CreateDatabaseAsync(),
                    ["user"] = postgres.User,
                    ["password"] = "unused",
                    ["sslMode"] = "disable",
                },
                _ => throw new ArgumentException($"Unknown target {target}: use duckdb or postgres."),
            };
            var warehouse = new WarehouseInstance("wh-" + target, "ws", target, target, true, settings, new SyncSchedule(TimeSpan.FromMinutes(1)), false,
                [new ConnectedSource("src-bench", "bench", SelectiveSync.All)], 1);
            await StageAsync(staging, warehouse.Id, events);
            if (args.Contains("--phases"))
            {
                await Phases.RunAsync(staging, warehouse.Id, loaders.Create(target, settings), Math.Min(events, loadSize), time);
                continue;
            }

            var history = new SyncHistory(Path.Combine(data.Path, $"syncs-{target}.db"));
            var runner = new SyncRunner(staging, loaders, history, options, time, NullLogger<SyncRunner>.Instance);

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var succeeded = await runner.RunAsync(warehouse, "manual", CancellationToken.None);
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var sync = history.List(warehouse.Id, null, 0, 1).Single();
            if (!succeeded)
            {
                Console.WriteLine($"{target}: the sync failed: {string.Join("; ", sync.Notices.Select(n => n.Message))}");
                return 1;
            }

            await using var connection = await loaders.Create(target, settings).ConnectAsync(CancellationToken.None);
            var tables = await connection.ListTablesAsync("bench", CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(
                $"{target}: {sync.Rows:N0} rows ({events:N0} events) in {seconds:N1} s = {sync.Rows / seconds:N0} rows/s, {events / seconds:N0} events/s; "
                + $"{baseline.TotalSeconds / seconds:P0} of the baseline's speed; {sync.Rows / cpu.TotalSeconds:N0} rows per CPU-second of this process; tables: "
                + string.Join(", ", tables.Select(t => $"{t.Name} {t.Rows:N0}")));
        }

        return 0;
    }

    private static async Task StageAsync(StagingLogs staging, string warehouseId, int events)
    {
        var log = staging.Open(warehouseId, "src-bench");
        const int Chunk = 5000;
        for (var first = 0; first < events; first += Chunk)
        {
            var records = new LogRecord[Math.Min(Chunk, events - first)];
            for (var i = 0; i < records.Length; i++)
            {
                var (user, payload, tag) = MixedEvents.Create(first + i, "src-bench");
                records[i] = new LogRecord(user, "src-bench:bench-" + (first + i).ToString(CultureInfo.InvariantCulture), payload, tag);
            }

            await log.AppendAsync(records, CancellationToken.None);
        }
    }

    private static async Task<TimeSpan> BaselineAsync(StagingLogs staging, int events)
    {
        await StageAsync(staging, "wh-baseline", events);
        var log = staging.Open("wh-baseline", "src-bench");
        var clock = Stopwatch.StartNew();
        var position = LogPosition.Start;
        var read = 0;
        while (read < events)
        {
            var entries = await log.ReadAsync(0, position, new WarehouseOptions().LoadSize, TimeSpan.Zero, CancellationToken.None);
            foreach (var entry in entries)
            {
                using var document = JsonDocument.Parse(entry.Payload);
                read += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
            }

            position = entries[^1].Position;
        }

        return clock.Elapsed;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
