using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Junction.EventLog;
using Junction.Events;
using Junction.Ingest.Processing;
using Junction.Protocols.Processing;
using Junction.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Bench.Protocols;

/// <summary>
/// What tracking-plan validation costs in throughput from the Tracking API to the router's queue: an in-process server
/// with one source connected to a Webhooks (Actions) destination, events sent to <c>/v1/batch</c> (names from a plan of
/// 200 track events of 20 properties), timed from the first send until the processor has caught up (it commits only
/// once the fan-out's appends to the destination queue are durable). Runs alternate without a plan and with the plan
/// connected (blocking and omission on; every event follows the plan, so each is checked in full and none is blocked).
/// The router is held to one request a second so that delivery does not compete for the cores. Then the Protocols
/// stage alone is timed on the same events, with and without the plan, for the cost per event.
/// Usage: <c>dotnet run -c Release --project bench/Junction.Bench.Protocols -- [--events 100000] [--rounds 3] [--batch 100] [--senders 4]</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var events = Option(args, "--events", 100_000);
        var rounds = Option(args, "--rounds", 3);
        var batchSize = Option(args, "--batch", 100);
        var senders = Option(args, "--senders", 4);
        var directory = new SwitchableDirectory();

        await using var receiver = await StartReceiverAsync();
        await using var server = await JunctionTestServer.StartAsync(
            settings: [("Processor:CommitInterval", "00:00:00.020"), ("Delivery:RequestsPerSecond", "1")],
            configure: builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Error);
                builder.Services.AddSingleton<IProtocolsDirectory>(directory);
            });
        var (sourceId, writeKey) = await server.CreateSourceAsync("bench");
        using var api = await server.CreateApiClientAsync();
        await ConnectWebhookAsync(api, sourceId, receiver.Urls.First() + "/hook");
        var plan = BenchPlan.Connected(sourceId);
        var processor = server.Services.GetRequiredService<EventProcessor>();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));

        Console.WriteLine($"{events:N0} events per run in batches of {batchSize} from {senders} senders, {rounds} rounds (no plan, then plan), "
            + $"plan of {BenchPlan.EventNames} events × {BenchPlan.PropertiesPerEvent} properties, {Environment.ProcessorCount} cores");

        // Warm-up: one whole run of each kind (the JIT, the thread pool, SQLite's caches), not counted.
        directory.Current = null;
        await RunAsync(http, processor, BenchPlan.Batches("warm-none", events, batchSize), senders);
        directory.Current = plan;
        await RunAsync(http, processor, BenchPlan.Batches("warm-plan", events, batchSize), senders);

        var without = new List<double>();
        var with = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var connected in new[] { false, true })
            {
                directory.Current = connected ? plan : null;
                var batches = BenchPlan.Batches($"r{round}-{(connected ? "plan" : "none")}", events, batchSize);
                var elapsed = await RunAsync(http, processor, batches, senders);
                var rate = events / elapsed.TotalSeconds;
                (connected ? with : without).Add(rate);
                Console.WriteLine($"round {round}, {(connected ? "plan   " : "no plan")}: {rate,10:N0} events/s ({elapsed.TotalSeconds:N2} s)");
            }
        }

        // The stage alone, on the same events, in this process: what checking costs per event without the rest of the pipeline.
        var stage = server.Services.GetServices<IEventStage>().OfType<ProtocolsStage>().Single();
        var entries = BenchPlan.Entries(sourceId, "stage", events);
        var stageWithout = new List<double>();
        var stageWith = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var connected in new[] { false, true })
            {
                directory.Current = connected ? plan : null;
                var micros = await StageAloneAsync(stage, entries);
                if (round > 0)
                {
                    (connected ? stageWith : stageWithout).Add(micros);
                }
            }
        }

        Console.WriteLine($"the stage alone (median of {rounds}): {Median(stageWithout):N2} µs an event without a plan, {Median(stageWith):N2} µs with it; "
            + $"the pipeline: {1e6 / Median(without):N1} µs an event without a plan, {1e6 / Median(with):N1} µs with it");

        var schema = (await api.GetFromJsonAsync<JsonElement>($"sources/{sourceId}/schema")).GetProperty("data");
        var blocked = schema.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("blocked30Days").GetInt64());
        var violations = (await api.GetFromJsonAsync<JsonElement>($"sources/{sourceId}/violations?window=1h")).GetProperty("data").GetProperty("total").GetInt64();
        var medianWithout = Median(without);
        var medianWith = Median(with);
        Console.WriteLine($"median without a plan: {medianWithout:N0} events/s; with the plan: {medianWith:N0} events/s; "
            + $"ratio {medianWith / medianWithout:P1} (validation costs {1 - (medianWith / medianWithout):P1}); blocked {blocked}, violations {violations}");
        return blocked == 0 && violations == 0 ? 0 : 1;
    }

    /// <summary>Sends every batch, then waits until the processor has committed everything in the log.</summary>
    private static async Task<TimeSpan> RunAsync(HttpClient http, EventProcessor processor, List<byte[]> batches, int senders)
    {
        await WaitCaughtUpAsync(processor);
        var queue = new ConcurrentQueue<byte[]>(batches);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var body))
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("v1/batch", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The Tracking API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        await WaitCaughtUpAsync(processor);
        return clock.Elapsed;
    }

    /// <summary>Runs the stage over every entry, in reads of 2,000 as the processor does; answers microseconds per event.</summary>
    private static async Task<double> StageAloneAsync(ProtocolsStage stage, IReadOnlyList<LogEntry> entries)
    {
        var clock = Stopwatch.StartNew();
        foreach (var chunk in entries.Chunk(2000))
        {
            if ((await stage.ProcessAsync(chunk, CancellationToken.None)).Count != chunk.Length)
            {
                throw new InvalidOperationException("The stage dropped an event that follows the plan.");
            }
        }

        return clock.Elapsed.TotalMicroseconds / entries.Count;
    }

    private static async Task WaitCaughtUpAsync(EventProcessor processor)
    {
        while (!await processor.IsCaughtUpAsync(CancellationToken.None))
        {
            await Task.Delay(5);
        }
    }

    private static async Task ConnectWebhookAsync(HttpClient api, string sourceId, string hookUrl)
    {
        const string WebhooksActions = "614a3c7d791c91c41bae7599";
        using var created = await api.PostAsJsonAsync("destinations", new { sourceId, metadataId = WebhooksActions, name = "Bench hook", enabled = true, settings = new { } });
        created.EnsureSuccessStatusCode();
        var destinationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("destination").GetProperty("id").GetString();
        var subscription = """{"name":"Tracks","actionId":"send","trigger":"type = \"track\"","enabled":true,"settings":{"url":""" + JsonSerializer.Serialize(hookUrl)
            + ""","method":"POST","data":{"@path":"$."}}}""";
        using var subscribed = await api.PostAsync($"destinations/{destinationId}/subscriptions", new StringContent(subscription, Encoding.UTF8, "application/json"));
        subscribed.EnsureSuccessStatusCode();
    }

    private static async Task<WebApplication> StartReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        var app = builder.Build();
        app.MapPost("/hook", () => Results.Ok());
        await app.StartAsync();
        return app;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The Protocols configuration the benchmark switches between runs: the plan, or nothing.</summary>
    private sealed class SwitchableDirectory : IProtocolsDirectory
    {
        private volatile SourceProtocols? _current;

        public SourceProtocols? Current
        {
            get => _current;
            set => _current = value;
        }

        public SourceProtocols? ForSource(string sourceId) => _current is { } current && current.SourceId == sourceId ? current : null;
    }
}
