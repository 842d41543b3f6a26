using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Junction.Benchmarks.Payloads;
using Junction.Events;

namespace Junction.Benchmarks.Normalizing;

/// <summary>
/// <see cref="EventNormalizer.Normalize"/> on parsed bodies, writing into a reused buffer as the gateway does. The
/// browser event takes the path with <c>context.ip</c> added (its context is rewritten, not copied); the Node.js
/// batch items take the server path. Allocated is per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
public class NormalizeBenchmarks
{
    private const int BatchSize = 100;
    private readonly ArrayBufferWriter<byte> _output = new(256 * 1024);
    private JsonDocument? _track;
    private JsonDocument? _trackWithoutMessageId;
    private JsonDocument? _batch;
    private JsonElement[] _items = [];
    private Utf8JsonWriter? _writer;
    private NormalizationContext? _single;
    private NormalizationContext? _batchContext;

    [GlobalSetup]
    public void Setup()
    {
        _track = JsonDocument.Parse(SamplePayloads.TrackEvent(user: 1));
        _trackWithoutMessageId = JsonDocument.Parse(SamplePayloads.TrackEvent(user: 1, withMessageId: false));
        _batch = JsonDocument.Parse(SamplePayloads.Batch(BatchSize));
        _items = [.. _batch.RootElement.GetProperty("batch").EnumerateArray()];
        _writer = EventNormalizer.CreateWriter(_output);
        var receivedAt = new DateTimeOffset(2026, 3, 14, 9, 26, 54, 120, TimeSpan.Zero);
        _single = new NormalizationContext
        {
            SourceId = "src_bench",
            WorkspaceId = "ws_bench",
            ReceivedAt = receivedAt,
            RequestIp = "203.0.113.7",
        };
        _batchContext = new NormalizationContext
        {
            SourceId = "src_bench",
            WorkspaceId = "ws_bench",
            ReceivedAt = receivedAt,
            RequestIp = "203.0.113.7",
            BatchSentAt = new DateTimeOffset(2026, 3, 14, 9, 26, 51, 713, TimeSpan.Zero),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.Dispose();
        _track?.Dispose();
        _trackWithoutMessageId?.Dispose();
        _batch?.Dispose();
    }

    /// <summary>A browser track event that carries its messageId, as analytics.js sends it.</summary>
    [Benchmark(Baseline = true)]
    public int TrackEvent() => Normalize(_track!.RootElement, EventType.Track, _single!);

    /// <summary>The same event without a messageId, so the normalizer makes one (what the load script sends).</summary>
    [Benchmark]
    public int TrackEventWithoutMessageId() => Normalize(_trackWithoutMessageId!.RootElement, EventType.Track, _single!);

    /// <summary>The 100 items of an analytics-node batch; figures are per event.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int BatchOf100()
    {
        _output.ResetWrittenCount();
        foreach (var item in _items)
        {
            if (EventNormalizer.Normalize(item, null, _batchContext!, _output, _writer!, out _) is { } rejection)
            {
                throw new InvalidOperationException(rejection.Message);
            }
        }

        return _output.WrittenCount;
    }

    private int Normalize(JsonElement item, EventType type, NormalizationContext context)
    {
        _output.ResetWrittenCount();
        if (EventNormalizer.Normalize(item, type, context, _output, _writer!, out var normalized) is { } rejection)
        {
            throw new InvalidOperationException(rejection.Message);
        }

        return normalized.Length;
    }
}
