using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Junction.Bench.DeliveryLatency;

/// <summary>
/// The built server started as `serve` on a fresh data directory in /tmp (the same disk as everything else, so every
/// fsync is real), with its output in <c>junction.log</c>; and the Public API calls that set up the pipeline.
/// </summary>
internal sealed class JunctionProcess : IAsyncDisposable
{
    /// <summary>Webhooks (Actions) in the catalog.</summary>
    private const string WebhooksActionsMetadataId = "614a3c7d791c91c41bae7599";
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly BenchSettings _settings;
    private readonly string _data;

    private JunctionProcess(Process process, StreamWriter log, BenchSettings settings, string data)
    {
        _process = process;
        _log = log;
        _settings = settings;
        _data = data;
    }

    public string BaseUrl => $"http://127.0.0.1:{_settings.Port}";

    public int ProcessId => _process.Id;

    public static async Task<JunctionProcess> StartAsync(BenchSettings settings, string output)
    {
        var data = Path.Combine(Path.GetTempPath(), "junction-latency-" + Guid.NewGuid().ToString("N"));
        var log = new StreamWriter(Path.Combine(output, "junction.log")) { AutoFlush = true };
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[settings.ServerDll, "serve", "--data", data, "--urls", $"http://127.0.0.1:{settings.Port}", .. settings.ServerArguments])
        {
            start.ArgumentList.Add(argument);
        }

        Say.Line($"==> starting {string.Join(' ', start.ArgumentList)}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var junction = new JunctionProcess(process, log, settings, data);
        process.OutputDataReceived += junction.Log;
        process.ErrorDataReceived += junction.Log;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            if (process.HasExited || attempt == 120)
            {
                throw new InvalidOperationException($"Junction did not answer /health; see {output}/junction.log");
            }

            try
            {
                using var health = await http.GetAsync(junction.BaseUrl + "/health");
                if (health.IsSuccessStatusCode)
                {
                    return junction;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Creates a token (`tokens create`), a source, and an enabled Webhooks (Actions) destination with one subscription,
    /// <c>type = "track"</c>, that posts each event whole to <paramref name="hookUrl"/>. Answers the source's write key.
    /// </summary>
    public async Task<string> CreateWebhookPipelineAsync(string hookUrl)
    {
        var token = await CreateTokenAsync();
        using var api = new HttpClient { BaseAddress = new Uri(BaseUrl + "/api/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var source = await PostAsync(api, "sources", """{"slug":"latency","enabled":true,"metadataId":"IqDTy1TpoU"}""", retries: 30);
        var sourceId = source.GetProperty("source").GetProperty("id").GetString()!;
        var writeKey = source.GetProperty("source").GetProperty("writeKeys")[0].GetString()!;
        var destination = await PostAsync(api, "destinations",
            $$$"""{"sourceId":"{{{sourceId}}}","metadataId":"{{{WebhooksActionsMetadataId}}}","name":"Latency hook","enabled":true,"settings":{}}""");
        var destinationId = destination.GetProperty("destination").GetProperty("id").GetString()!;
        await PostAsync(api, $"destinations/{destinationId}/subscriptions",
            """{"name":"Tracks","actionId":"send","trigger":"type = \"track\"","enabled":true,"settings":{"url":""" + JsonSerializer.Serialize(hookUrl)
            + ""","method":"POST","data":{"@path":"$."}}}""");
        using var list = await api.GetAsync($"destinations/{destinationId}/subscriptions");
        var subscriptions = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("subscriptions");
        Say.Line($"==> source {sourceId}, destination {destinationId} with {subscriptions.GetArrayLength()} subscription(s), hook {hookUrl}");
        return writeKey;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: a graceful stop, so that the log shows whether the server stopped cleanly.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await _log.DisposeAsync();
        if (!_settings.KeepData)
        {
            Directory.Delete(_data, recursive: true);
        }
        else
        {
            Say.Line($"==> data kept in {_data}");
        }
    }

    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<string> CreateTokenAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var argument in (string[])[_settings.ServerDll, "tokens", "create", "--name", "bench", "--data", _data])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return process.ExitCode == 0 && !string.IsNullOrEmpty(token)
            ? token
            : throw new InvalidOperationException($"tokens create failed ({process.ExitCode}): {output}");
    }

    /// <summary>POSTs JSON and answers <c>data</c>; retries while the route answers an error (the app may still be starting).</summary>
    private static async Task<JsonElement> PostAsync(HttpClient api, string path, string body, int retries = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await api.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
            }

            if (attempt >= retries)
            {
                throw new InvalidOperationException($"POST /api/{path} answered {(int)response.StatusCode}: {text}");
            }

            Say.Line($"==> POST /api/{path} answered {(int)response.StatusCode}; retrying in 2 s");
            await Task.Delay(2000);
        }
    }

    private void Log(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}
