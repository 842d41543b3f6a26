using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Junction.Testing;

/// <summary>
/// Junction.Server run as a separate process (<c>dotnet Junction.Server.dll serve</c>), for tests that kill it with
/// SIGKILL or check what a user sees on the command line.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server on a free port and waits until <c>/health</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IEnumerable<string>? extraArguments = null, int? port = null)
    {
        var chosen = port ?? FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{chosen}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Repository.ServerAssembly, "serve", "--data", dataDirectory, "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in extraArguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var server = new ServerProcess(Process.Start(start)!, baseAddress);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (server.HasExited)
                {
                    throw new InvalidOperationException("The server exited at start-up:\n" + server.Output);
                }

                try
                {
                    return (await http.GetAsync("health")).StatusCode == HttpStatusCode.OK;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet, or too busy starting to answer within the probe's timeout: ask again.
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "the server to answer /health");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Runs a command-line verb to completion and answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunVerbAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.ServerAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGKILL: the process gets no chance to flush or clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
