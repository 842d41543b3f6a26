using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Junction.Destinations.Delivery;
using Junction.Destinations.Framework;
using Junction.Fql;
using Junction.Workspace.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Junction.Benchmarks.Delivering;

/// <summary>
/// The router draining a destination queue that holds <see cref="Events"/> records of 1,000 users into a local HTTP
/// fake (Kestrel on loopback that reads each body and answers 200): with <see cref="Mode"/> <c>Batching</c> the
/// destination posts batches of up to 100 events as a JSON array, with <c>PerEvent</c> one request per event. The
/// queue is filled before each iteration (not measured); an invocation starts a router, waits until the journal has
/// every record delivered, and stops it. One operation is one event, so Mean is per event and events/s = 1 s / Mean.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class RouterThroughputBenchmarks
{
    private const int Users = 1000;

    /// <summary>Records per invocation: a few seconds of work at the target rates.</summary>
    private const int Events = 50_000;
    private WebApplication? _fake;
    private string _baseUrl = "";
    private string _directory = "";
    private DeliveryQueues? _queues;
    private DeliveryHttp? _http;
    private CountingJournal? _journal;

    [Params("Batching", "PerEvent")]
    public string Mode { get; set; } = "Batching";


    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _fake = builder.Build();
        _fake.MapPost("/{path}", async (HttpContext http) =>
        {
            var buffer = new byte[16 * 1024];
            while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
            {
            }

            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("{}", http.RequestAborted);
        });
        _fake.StartAsync().GetAwaiter().GetResult();
        _baseUrl = _fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new DeliveryHttp();
    }

    [IterationSetup]
    public void FillQueue()
    {
        _directory = Path.Combine(Path.GetTempPath(), "junction-bench-" + Guid.NewGuid().ToString("N"));
        _queues = new DeliveryQueues(Options.Create(RouterOptions()), TimeProvider.System, NullLogger<DeliveryQueues>.Instance);
        _journal = new CountingJournal(Events);
        var action = Destination().Action;
        var records = new List<DeliveryRecord>(1000);
        using var template = JsonDocument.Parse("""{"type":"track","event":"Order Completed","properties":{"revenue":42.5,"currency":"EUR"}}""");
        for (var i = 0; i < Events; i++)
        {
            var user = "user-" + (i % Users).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var messageId = "m-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var payload = new JsonObject { ["event"] = "Order Completed", ["user_id"] = user, ["insert_id"] = messageId, ["revenue"] = 42.5 };
            records.Add(new DeliveryRecord("dst_bench", "sub_1", action.Id, "src_bench", messageId, user, TimeProvider.System.GetUtcNow(), payload, template.RootElement));
            if (records.Count == 1000)
            {
                _queues.EnqueueAsync("dst_bench", records, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                records.Clear();
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task DeliverQueue()
    {
        var destination = Destination();
        var instance = new DestinationInstance(
            "dst_bench", "ws", "src_bench", "bench", destination, true, new JsonObject { [DestinationDefinition.BaseUrlSetting] = _baseUrl },
            [], DestinationFilterSet.Compile([]), 1);
        var router = new DestinationRouter(
            new OneDestination(instance), _queues!, new DestinationHealth(), _journal!, _http!, TimeProvider.System,
            Options.Create(RouterOptions()), NullLogger<DestinationRouter>.Instance);
        await router.StartAsync(CancellationToken.None);
        await _journal!.AllDelivered.WaitAsync(TimeSpan.FromMinutes(2));
        await router.StopAsync(CancellationToken.None);
        router.Dispose();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _queues!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _http!.Dispose();
        _fake!.StopAsync().GetAwaiter().GetResult();
    }

    private DeliveryOptions RouterOptions() => new() { DataDirectory = _directory };

    private BenchDestination Destination() => new(Mode == "Batching" ? 100 : 1);

    /// <summary>A destination as the catalog's are written: one JSON POST per batch.</summary>
    private sealed class BenchDestination : IDestination
    {
        public BenchDestination(int maxBatchSize)
        {
            Action = new ActionDefinition("send", "send", "Send", "", null, [], MaxBatchSize: maxBatchSize);
            Definition = new DestinationDefinition(
                "bench", "bench", "Bench", "", [DestinationCategories.Other], "https://example.com", new SourceBadge("B", "#000000"),
                [], [Action], [], "http://127.0.0.1");
        }

        public ActionDefinition Action { get; }

        public DestinationDefinition Definition { get; }

        public async ValueTask<SendResult> SendAsync(SendContext context, ActionBatch batch, CancellationToken cancellationToken)
        {
            using var response = batch.Items.Count == 1
                ? await context.Http.PostAsJsonAsync(context.Url("/event"), batch.Items[0].Payload, cancellationToken)
                : await context.Http.PostAsJsonAsync(context.Url("/batch"), batch.Items.Select(i => i.Payload).ToList(), cancellationToken);
            return await SendResult.FromResponseAsync(response, context.Time, cancellationToken);
        }
    }

    private sealed class OneDestination(DestinationInstance instance) : IDestinationDirectory
    {
        public Task Changed { get; } = new TaskCompletionSource().Task;

        public IReadOnlyList<DestinationInstance> All() => [instance];

        public DestinationInstance? Find(string destinationId) => instance;

        public IReadOnlyList<DestinationInstance> ForSource(string sourceId) => [instance];
    }

    private sealed class CountingJournal(int expected) : IDeliveryJournal
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _delivered;

        public Task AllDelivered => _done.Task;

        public void Report(DeliveryStep step)
        {
            if (step.State == DeliveryState.Delivered && Interlocked.Increment(ref _delivered) == expected)
            {
                _done.TrySetResult();
            }
            else if (step.State is DeliveryState.Aborted or DeliveryState.Expired or DeliveryState.Retrying)
            {
                _done.TrySetException(new InvalidOperationException($"{step.MessageId}: {step.State} {step.Status} {step.Reason}"));
            }
        }
    }
}
