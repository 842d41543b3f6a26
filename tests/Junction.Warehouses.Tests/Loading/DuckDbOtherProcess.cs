using System.Diagnostics;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;

namespace Junction.Warehouses.Tests.Loading;

/// <summary>
/// Another process with a DuckDB file open, as a user's DuckDB client would have it: DuckDB locks a file per process
/// (an exclusive lock to write, a shared one to read), so a second connection in the test process itself shares the
/// test's database instance and proves nothing. The other process is this test assembly run again
/// (<c>dotnet Junction.Warehouses.Tests.dll</c>) with <see cref="PathVariable"/> set: the module initializer below
/// then opens the file instead of running tests, reports on its standard output, and keeps the file open until its
/// standard input is closed.
/// </summary>
internal sealed class DuckDbOtherProcess : IAsyncDisposable
{
    private const string PathVariable = "JUNCTION_TEST_DUCKDB_OTHER_PROCESS_PATH";
    private const string ReadOnlyVariable = "JUNCTION_TEST_DUCKDB_OTHER_PROCESS_READ_ONLY";
    private readonly Process _process;

    private DuckDbOtherProcess(Process process, string report)
    {
        _process = process;
        Report = report;
    }

    /// <summary>
    /// What the other process said after opening: <c>opened N tables</c> (the base tables it sees) or
    /// <c>failed: DuckDB's message</c>.
    /// </summary>
    public string Report { get; }

    /// <summary>Starts a process that opens <paramref name="path"/> (read-only or for writing) and holds it open.</summary>
    public static async Task<DuckDbOtherProcess> OpenAsync(string path, bool readOnly)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(DuckDbOtherProcess).Assembly.Location);
        start.Environment[PathVariable] = path;
        start.Environment[ReadOnlyVariable] = readOnly ? "1" : "0";
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var report = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (report is null)
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            process.Dispose();
            throw new InvalidOperationException($"The other DuckDB process ended without a word: {error}");
        }

        return new DuckDbOtherProcess(process, report);
    }

    /// <summary>Closes the file in the other process (by closing its standard input) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>In the other process only (the variable is set): open the file, report, wait for stdin to close, exit.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The test assembly is also the other DuckDB process; see the class summary.")]
    internal static void RunAsTheOtherProcess()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (path is null)
        {
            return;
        }

        var readOnly = Environment.GetEnvironmentVariable(ReadOnlyVariable) == "1";
        var builder = new DuckDBConnectionStringBuilder { DataSource = path };
        if (readOnly)
        {
            builder["ACCESS_MODE"] = "READ_ONLY";
        }

        try
        {
            using var connection = new DuckDBConnection(builder.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() AND table_type = 'BASE TABLE'";
            Console.Out.WriteLine($"opened {command.ExecuteScalar()} tables");
            Console.Out.Flush();
            Console.In.ReadToEnd();
            Environment.Exit(0);
        }
        catch (DuckDBException ex)
        {
            Console.Out.WriteLine("failed: " + ex.Message.ReplaceLineEndings(" "));
            Console.Out.Flush();
            Console.In.ReadToEnd();
            Environment.Exit(1);
        }
    }
}
