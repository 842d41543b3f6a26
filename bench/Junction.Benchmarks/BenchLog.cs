using System.Buffers;
using System.Text.Json;
using Junction.Benchmarks.Payloads;
using Junction.EventLog;
using Junction.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Benchmarks;

/// <summary>A <see cref="FileEventLog"/> with its default settings in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class BenchLog : IAsyncDisposable
{
    private BenchLog(string directory, FileEventLog log)
    {
        Directory = directory;
        Log = log;
    }

    public string Directory { get; }

    public FileEventLog Log { get; }

    public static BenchLog Open()
    {
        var directory = Path.Combine(Path.GetTempPath(), "junction-bench-" + Guid.NewGuid().ToString("N"));
        var options = new FileEventLogOptions { Directory = directory };
        return new BenchLog(directory, FileEventLog.Open(options, TimeProvider.System, NullLogger.Instance));
    }

    /// <summary>
    /// Records as the gateway appends them: <paramref name="count"/> normalized analytics-node events of different
    /// users (so they spread over the partitions), keyed <c>{sourceId}:{messageId}</c>.
    /// </summary>
    public static LogRecord[] Records(int count)
    {
        using var batch = JsonDocument.Parse(SamplePayloads.Batch(count));
        var context = new NormalizationContext
        {
            SourceId = "src_bench",
            WorkspaceId = "ws_bench",
            ReceivedAt = new DateTimeOffset(2026, 3, 14, 9, 26, 54, 120, TimeSpan.Zero),
        };
        var output = new ArrayBufferWriter<byte>();
        using var writer = EventNormalizer.CreateWriter(output);
        var records = new List<LogRecord>(count);
        foreach (var item in batch.RootElement.GetProperty("batch").EnumerateArray())
        {
            output.ResetWrittenCount();
            if (EventNormalizer.Normalize(item, null, context, output, writer, out var normalized) is { } rejection)
            {
                throw new InvalidOperationException(rejection.Message);
            }

            var payload = output.WrittenSpan.Slice(normalized.Start, normalized.Length).ToArray();
            records.Add(new LogRecord(normalized.PartitionKey, context.SourceId + ":" + normalized.MessageId, payload, EventTag.Format(normalized.Type, normalized.Name)));
        }

        return [.. records];
    }

    /// <summary>Fails the benchmark when an append was not made durable (a full disk would otherwise look fast).</summary>
    public static void EnsureStored(AppendResult[] results)
    {
        foreach (var result in results)
        {
            if (result.Status != AppendStatus.Stored)
            {
                throw new InvalidOperationException($"An append answered {result.Status}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
