using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Junction.Bench.DeliveryLatency;

/// <summary>What one run measured: per event (by seq) when it was sent, acknowledged and received, and the conditions.</summary>
internal sealed record RunResult(
    long[] SentAt,
    long[] AckedAt,
    IReadOnlyList<long> ReceivedAt,
    long Errors,
    long Duplicates,
    long Unreadable,
    double SendSeconds,
    Conditions Conditions);

/// <summary>
/// Sends single track events to <c>POST /v1/track</c> at a fixed rate, open loop: each event is sent when its time comes,
/// whatever the answers to the earlier ones (so a slow server cannot slow the load down and hide its latency). Each
/// event carries its seq and its send time (<see cref="Stopwatch"/> ticks) in <c>properties</c>.
/// </summary>
internal sealed class LoadDriver(string baseUrl, string writeKey, Receiver receiver, BenchSettings settings)
{
    private readonly HttpClient _http = CreateClient(baseUrl, writeKey);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long[] _sentAt = [];
    private long[] _ackedAt = [];
    private long _errors;

    /// <summary>Sends one event and waits for it at the hook: the pipeline works before any load starts.</summary>
    public async Task ProbeAsync()
    {
        using var response = await SendAsync(-1, Stopwatch.GetTimestamp());
        response.EnsureSuccessStatusCode();
        await receiver.Probe.WaitAsync(TimeSpan.FromSeconds(60));
        Say.Line("==> the probe event arrived at the hook");
    }

    public async Task<RunResult> RunAsync(int serverPid)
    {
        var total = settings.TotalEvents;
        _sentAt = new long[total];
        _ackedAt = new long[total];
        receiver.Expect(total);
        Say.Line($"==> {settings.Rate} events/s: {settings.WarmupSeconds} s warm-up, then {settings.DurationSeconds} s measured");
        var sends = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        Conditions.Sample? before = null;
        var next = 0;
        while (next < total)
        {
            if (before is null && next >= settings.WarmupEvents)
            {
                before = Conditions.Sample.Take(serverPid);
            }

            var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * settings.Rate) + 1);
            while (next < due)
            {
                sends.Add(SendAndRecordAsync(next++));
            }

            await Task.Delay(1);
        }

        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds - settings.WarmupSeconds;
        var after = Conditions.Sample.Take(serverPid);
        await Task.WhenAll(sends);
        var drainUntil = Stopwatch.GetTimestamp() + (settings.DrainSeconds * Stopwatch.Frequency);
        while (receiver.Received < total && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(100);
        }

        // A moment more, so that late duplicates are counted too.
        await Task.Delay(2000);
        return new RunResult(_sentAt, _ackedAt, receiver.ReceivedAt, Interlocked.Read(ref _errors), receiver.Duplicates, receiver.Unreadable,
            sendSeconds, Conditions.Between(before!, after));
    }

    private async Task SendAndRecordAsync(int seq)
    {
        var sentAt = Stopwatch.GetTimestamp();
        _sentAt[seq] = sentAt;
        try
        {
            using var response = await SendAsync(seq, sentAt);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                _ackedAt[seq] = Stopwatch.GetTimestamp();
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    private Task<HttpResponseMessage> SendAsync(int seq, long sentAt)
    {
        var user = seq < 0 ? 0 : seq % settings.Users;
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"type":"track","userId":"latency-user-{{{user}}}","event":"Latency Probe","messageId":"latency-{{{_run}}}-{{{seq}}}","properties":{"seq":{{{seq}}},"sentAt":{{{sentAt}}}}}""");
        return _http.PostAsync("v1/track", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static HttpClient CreateClient(string baseUrl, string writeKey)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return http;
    }
}
