using System.Text;
using BenchmarkDotNet.Attributes;
using Junction.Benchmarks.Payloads;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Debugger;
using Junction.Ingest.Tracking;
using Junction.Ingest.Volume;
using Junction.Workspace.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Junction.Benchmarks.Gateway;

/// <summary>
/// <see cref="TrackingGateway.AcceptAsync"/> in process, without HTTP and with a log that stores instantly: what the
/// gateway itself costs per request (write key, UTF-8 check, parse, normalize, the append call with its deadline,
/// the debugger sample). Compare with the server's CPU per request under load (docs/benchmarks.md) to see what
/// Kestrel, the durable log and the processor add. Mean and Allocated are per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
public class GatewayBenchmarks
{
    private const int BatchSize = 100;
    private const string WriteKey = "bench-write-key";
    private TrackingGateway? _gateway;
    private string _authorization = "";
    private byte[] _track = [];
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var options = Options.Create(new TrackingOptions());
        _gateway = new TrackingGateway(
            new InstantLog(),
            new OneSource(new SourceInfo("src_bench", "ws_bench", "bench", "Bench", "IqDTy1TpoU", Enabled: true)),
            new DebuggerFeed(time),
            new VolumeCounter(),
            new SourceRateLimiter(options, time),
            new Deadlines(time),
            time,
            options,
            NullLogger<TrackingGateway>.Instance);
        _authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":"));
        _track = SamplePayloads.TrackEvent(user: 1, withMessageId: false);
        _batch = SamplePayloads.Batch(BatchSize, withMessageIds: false);
    }

    /// <summary>One analytics.js track event without a messageId, as the load script posts it to <c>/v1/track</c>.</summary>
    [Benchmark]
    public Task<int> TrackRequest() => AcceptAsync(new TrackingCall(EventType.Track, FromBrowserPath: false), _track);

    /// <summary>A <c>/v1/batch</c> request of 100 analytics-node events; figures are per event.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task<int> BatchRequestOf100() => AcceptAsync(new TrackingCall(null, FromBrowserPath: false), _batch);

    private async Task<int> AcceptAsync(TrackingCall call, byte[] body)
    {
        var answer = await _gateway!.AcceptAsync(call, _authorization, body, "203.0.113.7");
        return answer is { Status: 200, Error: null, RejectedItems.Count: 0 }
            ? answer.Status
            : throw new InvalidOperationException($"The gateway answered {answer.Status}: {answer.Error?.Message}");
    }

    /// <summary>A log that answers Stored at once, so that only the gateway is measured.</summary>
    private sealed class InstantLog : IEventLog
    {
        public int PartitionCount => 1;

        public ValueTask<AppendResult[]> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken)
        {
            var results = new AppendResult[records.Count];
            Array.Fill(results, new AppendResult(AppendStatus.Stored, 0, new LogPosition(1)));
            return ValueTask.FromResult(results);
        }

        public ValueTask<IReadOnlyList<LogEntry>> ReadAsync(
            int partition, LogPosition after, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<LogEntry>>([]);

        public ValueTask CommitAsync(string consumer, int partition, LogPosition position, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public ValueTask<LogPosition> GetCommittedAsync(string consumer, int partition, CancellationToken cancellationToken) =>
            ValueTask.FromResult(LogPosition.Start);

        public LogPosition GetHead(int partition) => LogPosition.Start;

        public LogHealth GetHealth() => new(true, "instant", null, null, null);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class OneSource(SourceInfo source) : ISourceLookup
    {
        public SourceInfo? FindByWriteKey(string writeKey) => writeKey == WriteKey ? source : null;

        public SourceInfo? FindById(string sourceId) => sourceId == source.Id ? source : null;

        public IReadOnlyList<SourceInfo> InWorkspace(string workspaceId) => [source];
    }
}
