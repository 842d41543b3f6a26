using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Junction.Dedupe;
using Junction.EventLog;
using Junction.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Junction.Server.Tests.Durability;

/// <summary>
/// The guarantee users depend on most: an event that got a 200 is never lost. The server is killed with SIGKILL in
/// the middle of a load; clients re-send what was not acknowledged (as every Segment library does); afterwards the
/// event log, read through the same dedupe the processor applies, holds every acknowledged event exactly once.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task AfterKill9EveryAcknowledgedEventIsStoredAndDedupedToExactlyOneCopy()
    {
        using var data = new TempDirectory();
        var (_, writeKey) = await ControlPlaneSeed.CreateSourceAsync(data.Path);
        var server = await ServerProcess.StartAsync(data.Path);

        var acknowledged = new ConcurrentDictionary<string, byte>();
        var unacknowledged = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(client => Task.Run(async () =>
        {
            using var http = Client(server.BaseAddress, writeKey);
            for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                var ids = Enumerable.Range(0, 20).Select(i => $"c{client}-s{sequence}-e{i}").ToArray();
                var body = Batch(ids);
                try
                {
                    var response = await http.PostAsync("v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.TryAdd(id, 0);
                        }

                        continue;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                unacknowledged.Enqueue(body);
                if (server.HasExited)
                {
                    return;
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 3000), TimeSpan.FromSeconds(60), "3,000 acknowledged events");
        await server.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        await server.DisposeAsync();

        // The clients retry what was not acknowledged, against the restarted server: some of it may already be stored.
        await using (var restarted = await ServerProcess.StartAsync(data.Path))
        {
            using var http = Client(restarted.BaseAddress, writeKey);
            foreach (var body in unacknowledged)
            {
                var response = await http.PostAsync("v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                foreach (var id in JsonDocument.Parse(body).RootElement.GetProperty("batch").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()!))
                {
                    acknowledged.TryAdd(id, 0);
                }
            }

            await restarted.StopAsync();
        }

        var (stored, afterDedupe) = await ReadLogAsync(Path.Combine(data.Path, "eventlog"));
        var missing = acknowledged.Keys.Where(id => !afterDedupe.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events are missing, for example {string.Join(", ", missing.Take(5))}");
        Assert.All(afterDedupe, pair => Assert.Equal(1, pair.Value));
        Assert.True(stored >= acknowledged.Count);
    }

    /// <summary>Reads every partition through a deduplicator and counts each messageId that comes out.</summary>
    private static async Task<(int Stored, Dictionary<string, int> AfterDedupe)> ReadLogAsync(string directory)
    {
        var counts = new Dictionary<string, int>();
        var stored = 0;
        await using var log = FileEventLog.Open(new FileEventLogOptions { Directory = directory, MinFreeBytes = 0 }, TimeProvider.System, NullLogger.Instance);
        for (var partition = 0; partition < log.PartitionCount; partition++)
        {
            var dedupe = new Deduplicator(TimeSpan.FromHours(24));
            var position = LogPosition.Start;
            while (true)
            {
                var entries = await log.ReadAsync(partition, position, 5000, TimeSpan.Zero, CancellationToken.None);
                if (entries.Count == 0)
                {
                    break;
                }

                foreach (var entry in entries)
                {
                    stored++;
                    if (dedupe.TryAdd(entry.IdempotencyKey, entry.AppendedAt))
                    {
                        var id = JsonDocument.Parse(entry.Payload).RootElement.GetProperty("messageId").GetString()!;
                        counts[id] = counts.GetValueOrDefault(id) + 1;
                    }
                }

                position = entries[^1].Position;
            }
        }

        return (stored, counts);
    }

    private static HttpClient Client(Uri baseAddress, string writeKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return http;
    }

    private static string Batch(IEnumerable<string> ids) =>
        JsonSerializer.Serialize(new
        {
            batch = ids.Select(id => new { type = "track", userId = "user-" + id[..id.IndexOf('-', StringComparison.Ordinal)], @event = "Load Tested", messageId = id, properties = new { id } }),
        });
}
