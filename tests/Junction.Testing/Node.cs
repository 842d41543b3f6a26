using System.Diagnostics;

namespace Junction.Testing;

/// <summary>Runs a script from the Node.js fixtures (Segment's real libraries) with the machine's node.</summary>
public static class Node
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(Repository.NodeFixtures, "node_modules")))
        {
            throw new InvalidOperationException($"Run `npm ci` in {Repository.NodeFixtures} first (./build.sh test does it).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Repository.NodeFixtures,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish in 90 s:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
