using BenchmarkDotNet.Attributes;
using Junction.EventLog;

namespace Junction.Benchmarks.Appending;

/// <summary>
/// <see cref="FileEventLog.AppendAsync"/> of 100-record batches (what one <c>/v1/batch</c> request appends), durable:
/// each answer comes after the write and the fsync of every touched partition. Every invocation appends 800 events,
/// as 8 batches one after another (<see cref="Callers"/> = 1) or 8 batches at once (8 concurrent requests that the
/// writer commits as a group). Mean is per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
[WarmupCount(3)]
[IterationCount(15)]
public class AppendBatchBenchmarks
{
    private const int BatchSize = 100;
    private const int Batches = 8;
    private BenchLog? _log;
    private LogRecord[] _records = [];

    [Params(1, 8)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = BenchLog.Open();
        _records = BenchLog.Records(BatchSize);
    }

    [GlobalCleanup]
    public void Cleanup() => _log!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = BatchSize * Batches)]
    public async Task AppendBatchesOf100()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < callers.Length; c++)
        {
            callers[c] = AppendAsync(Batches / Callers);
        }

        await Task.WhenAll(callers);
    }

    private async Task AppendAsync(int batches)
    {
        for (var b = 0; b < batches; b++)
        {
            BenchLog.EnsureStored(await _log!.Log.AppendAsync(_records, CancellationToken.None));
        }
    }
}
