using BenchmarkDotNet.Attributes;
using Junction.EventLog;

namespace Junction.Benchmarks.Appending;

/// <summary>
/// <see cref="FileEventLog.AppendAsync"/> of single records (what one <c>/v1/track</c> request appends), durable,
/// from <see cref="Appenders"/> concurrent callers that each append their share of 512 records one after another.
/// One caller pays a full write and fsync per record; many callers share them through group commit. Mean is per
/// event, so Events/s is the log's durable single-record rate at that concurrency.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
[WarmupCount(3)]
[IterationCount(15)]
public class ConcurrentAppendBenchmarks
{
    private const int RecordsPerInvocation = 512;
    private BenchLog? _log;
    private LogRecord[][] _singles = [];

    [Params(1, 16, 128, 512)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = BenchLog.Open();
        _singles = [.. BenchLog.Records(RecordsPerInvocation).Select(record => new[] { record })];
    }

    [GlobalCleanup]
    public void Cleanup() => _log!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = RecordsPerInvocation)]
    public async Task AppendSingleRecords()
    {
        var share = RecordsPerInvocation / Appenders;
        var appenders = new Task[Appenders];
        for (var a = 0; a < appenders.Length; a++)
        {
            appenders[a] = AppendAsync(a * share, share);
        }

        await Task.WhenAll(appenders);
    }

    private async Task AppendAsync(int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            BenchLog.EnsureStored(await _log!.Log.AppendAsync(_singles[i], CancellationToken.None));
        }
    }
}
