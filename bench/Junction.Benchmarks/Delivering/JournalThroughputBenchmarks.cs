using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Junction.Benchmarks.Payloads;
using Junction.Destinations.Delivery.Journal;
using Junction.Destinations.Framework;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Junction.Benchmarks.Delivering;

/// <summary>
/// The delivery journal writing what the fan-out and the router report for <see cref="Events"/> events spread over
/// <see cref="Destinations"/> destinations: a <c>Queued</c> step carrying the mapped payload (a webhook's mapping of the
/// 1.2 KB browser track event: url, method and the whole event as <c>data</c>), then a <c>Delivered</c> step with
/// status and latency, as <c>PartitionWorker</c> reports it. Each iteration starts a journal on a new
/// <c>delivery.db</c> with the default settings; an invocation reports every step with
/// <see cref="DeliveryJournal.Report"/> and waits until the writer has committed them all to SQLite
/// (<see cref="DeliveryJournal.FlushAsync"/>). One operation is one step, so Mean is per step and steps/s = 1 s / Mean.
/// Steps per invocation stay below the default queue capacity (100,000), so none is dropped; the run fails if one is.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
public class JournalThroughputBenchmarks
{
    /// <summary>Events per invocation; each gives two steps.</summary>
    private const int Events = 40_000;
    private const int Steps = 2 * Events;
    private const int Users = 1000;
    private readonly DeliveryStep[] _steps = new DeliveryStep[Steps];
    private string _directory = "";
    private DeliveryJournal? _journal;

    [Params(1, 8)]
    public int Destinations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Records are built once: the benchmark measures reporting and writing, not mapping.
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < Events; i++)
        {
            var eventJson = SamplePayloads.TrackEvent(i % Users);
            using var document = JsonDocument.Parse(eventJson);
            var payload = new JsonObject
            {
                ["url"] = "https://hooks.example.com/junction",
                ["method"] = "POST",
                ["data"] = JsonNode.Parse(eventJson),
            };
            var messageId = "m-" + i.ToString(CultureInfo.InvariantCulture);
            var destinationId = "dst_" + (i % Destinations).ToString(CultureInfo.InvariantCulture);
            var user = "user-" + (i % Users).ToString(CultureInfo.InvariantCulture);
            var record = new DeliveryRecord(destinationId, "sub_track", "send", "src_bench", messageId, user, at, payload, document.RootElement.Clone());
            _steps[2 * i] = new DeliveryStep(destinationId, "src_bench", messageId, "sub_track", DeliveryState.Queued, at, Record: record);
            _steps[(2 * i) + 1] = new DeliveryStep(
                destinationId, "src_bench", messageId, "sub_track", DeliveryState.Delivered, at.AddMilliseconds(40), null, 1, 200, null, TimeSpan.FromMilliseconds(40));
        }
    }

    [IterationSetup]
    public void StartJournal()
    {
        _directory = Path.Combine(Path.GetTempPath(), "junction-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var store = new JournalStore(Path.Combine(_directory, "delivery.db"));
        _journal = new DeliveryJournal(
            store, new DeliveryMetricsCounter(), Options.Create(new DeliveryJournalOptions()), TimeProvider.System, NullLogger<DeliveryJournal>.Instance);
        _journal.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public async Task ReportAndWrite()
    {
        var journal = _journal!;
        foreach (var step in _steps)
        {
            journal.Report(step);
        }

        await journal.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        if (journal.DroppedSteps > 0)
        {
            throw new InvalidOperationException($"The journal dropped {journal.DroppedSteps} steps; the measurement would not count them.");
        }
    }

    [IterationCleanup]
    public void StopJournal()
    {
        _journal!.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _journal.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
