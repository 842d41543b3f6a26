using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Junction.Benchmarks.Payloads;

namespace Junction.Benchmarks.Parsing;

/// <summary>
/// <c>JsonDocument.Parse</c> of a request body with the gateway's options (depth 64; duplicate properties refused,
/// which costs a check per object, so both settings are measured).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsConfig))]
public class JsonParseBenchmarks
{
    private const int BatchSize = 100;
    private byte[] _track = [];
    private byte[] _batch = [];
    private JsonDocumentOptions _options;

    [Params(false, true)]
    public bool AllowDuplicateProperties { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _track = SamplePayloads.TrackEvent(user: 1);
        _batch = SamplePayloads.Batch(BatchSize);
        _options = new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = AllowDuplicateProperties };
    }

    /// <summary>One analytics.js track event, as posted to <c>/v1/track</c>.</summary>
    [Benchmark]
    public int TrackEvent()
    {
        using var document = JsonDocument.Parse(_track, _options);
        return document.RootElement.GetPropertyCount();
    }

    /// <summary>A <c>/v1/batch</c> body of 100 analytics-node events; figures are per event.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int BatchOf100()
    {
        using var document = JsonDocument.Parse(_batch, _options);
        return document.RootElement.GetPropertyCount();
    }
}
