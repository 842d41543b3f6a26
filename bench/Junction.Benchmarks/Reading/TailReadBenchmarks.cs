using BenchmarkDotNet.Attributes;
using Junction.EventLog;

namespace Junction.Benchmarks.Reading;

/// <summary>
/// <see cref="FileEventLog.ReadAsync"/> as the processor calls it when it keeps up with ingestion: after every group
/// commit it reads the few records just appended to its partition. The log holds one record and then
/// <see cref="NewRecords"/> more of one user (one partition); each invocation reads those after the first. Mean and
/// Allocated are per read call, not per event.
/// </summary>
[MemoryDiagnoser]
public class TailReadBenchmarks
{
    private BenchLog? _log;
    private int _partition;
    private LogPosition _after;

    [Params(1, 16)]
    public int NewRecords { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _log = BenchLog.Open();
        var record = BenchLog.Records(1)[0];
        var first = _log.Log.AppendAsync([record], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        BenchLog.EnsureStored(first);
        _partition = first[0].Partition;
        _after = first[0].Position;
        var rest = _log.Log.AppendAsync(Enumerable.Repeat(record, NewRecords).ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        BenchLog.EnsureStored(rest);
    }

    [GlobalCleanup]
    public void Cleanup() => _log!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<int> ReadNewRecords()
    {
        var entries = await _log!.Log.ReadAsync(_partition, _after, maxCount: 2000, TimeSpan.Zero, CancellationToken.None);
        return entries.Count == NewRecords ? entries.Count : throw new InvalidOperationException($"Read {entries.Count} entries.");
    }
}
