using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Junction.Bench.DeliveryLatency;

/// <summary>
/// The local fake destination: Kestrel on loopback. Every POST /hook is one event (the webhook's body is the whole
/// event); the receipt time (<see cref="Stopwatch"/> ticks, taken when the handler starts) is kept per
/// <c>properties.seq</c>, and a second receipt of a seq is counted as a duplicate.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _probe = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long[] _receivedAt = [];
    private long _received;
    private long _duplicates;
    private long _unreadable;

    private Receiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Completes when an event with seq -1 (the probe) arrives.</summary>
    public Task Probe => _probe.Task;

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    public IReadOnlyList<long> ReceivedAt => _receivedAt;

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var receiver = new Receiver(builder.Build());
        receiver._app.MapPost("/hook", receiver.HandleAsync);
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>Sizes the table of receipts; events with a seq outside it are counted as unreadable.</summary>
    public void Expect(int events) => _receivedAt = new long[events];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var now = Stopwatch.GetTimestamp();
        var body = await http.Request.BodyReader.ReadAllAsync(http.RequestAborted);
        Record(body, now);
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private void Record(ReadOnlySequence<byte> body, long now)
    {
        long seq;
        try
        {
            using var document = JsonDocument.Parse(body);
            seq = document.RootElement.GetProperty("properties").GetProperty("seq").GetInt64();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _unreadable);
            return;
        }

        var table = _receivedAt;
        if (seq == -1)
        {
            _probe.TrySetResult();
        }
        else if (seq < 0 || seq >= table.Length)
        {
            Interlocked.Increment(ref _unreadable);
        }
        else if (Interlocked.CompareExchange(ref table[seq], now, 0) == 0)
        {
            Interlocked.Increment(ref _received);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }
    }
}

internal static class PipeReaderExtensions
{
    /// <summary>Reads the whole body and copies it out, so the pipe's buffers can be released.</summary>
    public static async Task<ReadOnlySequence<byte>> ReadAllAsync(this System.IO.Pipelines.PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var copy = new ReadOnlySequence<byte>(result.Buffer.ToArray());
                reader.AdvanceTo(result.Buffer.End);
                return copy;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
