using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Junction.Testing;

/// <summary>
/// A real PostgreSQL 15 server for tests, run from the machine's binaries (<c>/usr/lib/postgresql/15/bin</c>) in a
/// temporary directory, listening on 127.0.0.1 only, on a free port. <see cref="SharedAsync"/> starts one server per
/// test process on first use, shared by every test class (each makes its own database with
/// <see cref="CreateDatabaseAsync"/>); <see cref="StartPrivateAsync"/> starts a server of its own for a test that
/// stops and starts it. Every server is stopped when the test process exits.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so when the tests run as root (as on CI) the directory is owned by the
/// <c>postgres</c> system user (or <c>nobody</c> when there is none) and <c>initdb</c> and <c>pg_ctl</c> run as that
/// user through <c>runuser</c>. The superuser <see cref="User"/> connects without a password (trust); every other role
/// signs in with its password (scram-sha-256), so wrong passwords are refused as on a real server.
/// A server left behind by a test process that was killed is stopped by the next process that starts one.
/// </remarks>
public sealed class Postgres : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string DirectoryPrefix = "junction-pg-";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static readonly List<Postgres> Running = [];
    private static Postgres? _shared;

    private readonly string _directory;
    private readonly string? _runAs;
    private readonly bool _isShared;
    private readonly SemaphoreSlim _gate = new(1, 1);

    static Postgres() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAllAtExit();

    private Postgres(string directory, string? runAs, int port, bool isShared)
    {
        _directory = directory;
        _runAs = runAs;
        _isShared = isShared;
        Port = port;
    }

    /// <summary>The address the server listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>A superuser that connects without a password.</summary>
    public string User => "postgres";

    /// <summary>Whether the server is running (false between <see cref="StopAsync"/> and <see cref="StartAsync"/>).</summary>
    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogFile => Path.Combine(_directory, "server.log");

    /// <summary>The server shared by every test of this process, started on first use. It is never stopped by a test.</summary>
    public static async Task<Postgres> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            return _shared ??= await CreateAndStartAsync(isShared: true, durable: false);
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>
    /// A server of its own, for a test that stops and starts it; dispose it at the end of the test. Tests run without
    /// fsync; a benchmark asks for a <paramref name="durable"/> server, with PostgreSQL's default durability.
    /// </summary>
    public static Task<Postgres> StartPrivateAsync(bool durable = false) => CreateAndStartAsync(isShared: false, durable);

    /// <summary>A connection string to <paramref name="database"/>, as the superuser unless another user is given.</summary>
    public string ConnectionString(string database, string? user = null, string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = database,
            Username = user ?? User,
            Password = password,
            SslMode = SslMode.Disable,
            Pooling = false,
            Timeout = 10,
        };
        return builder.ConnectionString;
    }

    /// <summary>Creates a fresh, empty database (one per test class keeps tests apart) and answers its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>
    /// Creates a login role with a password and no privileges beyond PUBLIC's (in PostgreSQL 15: connect to databases
    /// and create temporary tables, but not create schemas). Grant more with <see cref="ExecuteAsync"/>.
    /// </summary>
    public async Task<string> CreateLoginRoleAsync(string password)
    {
        var name = "role_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync("postgres", $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");
        return name;
    }

    /// <summary>Runs SQL as the superuser in a database.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Answers one value of a query run as the superuser in a database.</summary>
    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops the server (fast shutdown: connections are closed). Not allowed on the shared server.</summary>
    public async Task StopAsync()
    {
        if (_isShared)
        {
            throw new InvalidOperationException("The shared PostgreSQL serves other tests running at the same time; use Postgres.StartPrivateAsync() to stop one.");
        }

        await _gate.WaitAsync();
        try
        {
            if (IsRunning)
            {
                await PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");
                IsRunning = false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the server again on the same port after <see cref="StopAsync"/>, and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!IsRunning)
            {
                await StartServerAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops a private server and deletes its files. The shared server lives until the process exits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_isShared)
        {
            return;
        }

        lock (Running)
        {
            Running.Remove(this);
        }

        if (IsRunning)
        {
            await PgCtlAsync("stop", "-m", "immediate", "-w", "-t", "60");
            IsRunning = false;
        }

        DeleteDirectory(_directory);
    }

    private static async Task<Postgres> CreateAndStartAsync(bool isShared, bool durable)
    {
        if (!File.Exists(Path.Combine(Binaries, "pg_ctl")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Binaries} is missing): apt-get install postgresql-15.");
        }

        await StopLeftOversAsync();
        var runAs = Environment.IsPrivilegedProcess ? SystemUser() : null;
        var directory = Path.Combine(Root(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (runAs is not null)
        {
            await RunAsync("chown", [$"{runAs}:", directory], runAs: null, workingDirectory: directory);
        }

        var server = new Postgres(directory, runAs, FreePort(), isShared);
        try
        {
            await server.InitializeAsync(durable);
            await server.StartServerAsync();
        }
        catch
        {
            try
            {
                await server.PgCtlAsync("stop", "-m", "immediate");
            }
            catch (InvalidOperationException)
            {
                // It never started.
            }

            DeleteDirectory(directory);
            throw;
        }

        lock (Running)
        {
            Running.Add(server);
        }

        return server;
    }

    private async Task InitializeAsync(bool durable)
    {
        await RunAsync(
            Path.Combine(Binaries, "initdb"),
            ["-D", DataDirectory, "-U", User, "-E", "UTF8", "--no-locale", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256"],
            _runAs,
            _directory);

        // Only TCP on 127.0.0.1: the superuser without a password, everyone else with theirs.
        await File.WriteAllTextAsync(
            Path.Combine(DataDirectory, "pg_hba.conf"),
            $"host all {User} 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
        await File.AppendAllTextAsync(
            Path.Combine(DataDirectory, "postgresql.conf"),
            $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = ''
            max_connections = 300
            log_min_messages = warning

            """);
        if (!durable)
        {
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
    }

    private async Task StartServerAsync()
    {
        try
        {
            await PgCtlAsync("start", "-w", "-t", "60", "-l", LogFile);
            await WaitUntilAcceptingAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"PostgreSQL did not start in {_directory}: {ex.Message}\nServer log (tail):\n{LogTail()}", ex);
        }

        IsRunning = true;
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ScalarAsync<int>("postgres", "SELECT 1");
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    private Task PgCtlAsync(params string[] arguments) =>
        RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", DataDirectory, .. arguments], _runAs, _directory);

    private string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException ex)
        {
            return $"(no log: {ex.Message})";
        }
    }

    /// <summary>The system user PostgreSQL runs as when the tests run as root.</summary>
    private static string SystemUser()
    {
        var users = File.ReadAllLines("/etc/passwd").Select(line => line.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        return users.Contains("postgres") ? "postgres" : "nobody";
    }

    /// <summary>Runs a program to completion (as another user when <paramref name="runAs"/> is set); throws with its output when it fails.</summary>
    private static async Task RunAsync(string program, string[] arguments, string? runAs, string workingDirectory)
    {
        var (file, prefix) = runAs is null ? (program, Array.Empty<string>()) : AsUser(runAs, program);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in prefix)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var text = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}")
                .Append('\n').Append(await output).Append(await error);
            throw new InvalidOperationException(text.ToString());
        }
    }

    /// <summary>How to run a program as another user: util-linux's <c>runuser</c>, else its <c>setpriv</c>.</summary>
    private static (string File, string[] Prefix) AsUser(string user, string program)
    {
        string[] directories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
        if (directories.Select(d => Path.Combine(d, "runuser")).FirstOrDefault(File.Exists) is { } runuser)
        {
            return (runuser, ["-u", user, "--", program]);
        }

        if (directories.Select(d => Path.Combine(d, "setpriv")).FirstOrDefault(File.Exists) is { } setpriv)
        {
            return (setpriv, [$"--reuid={user}", $"--regid={user}", "--init-groups", program]);
        }

        throw new InvalidOperationException($"PostgreSQL cannot run as root, and neither runuser nor setpriv is here to run it as {user}.");
    }

    /// <summary>
    /// Where the servers' directories go: the temp folder, unless the tests run as root and another user could not
    /// reach it (a TMPDIR under /root), then <c>/tmp</c>.
    /// </summary>
    private static string Root()
    {
        var temp = Path.GetTempPath();
        if (!Environment.IsPrivilegedProcess)
        {
            return temp;
        }

        for (var directory = new DirectoryInfo(temp); directory is not null; directory = directory.Parent)
        {
            if ((directory.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return "/tmp";
            }
        }

        return temp;
    }

    /// <summary>Stops the servers of test processes that were killed before they could stop theirs, and deletes their files.</summary>
    private static async Task StopLeftOversAsync()
    {
        foreach (var directory in Directory.EnumerateDirectories(Root(), DirectoryPrefix + "*"))
        {
            if (OwnerIsAlive(directory))
            {
                continue;
            }

            var data = Path.Combine(directory, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                var owner = Environment.IsPrivilegedProcess ? SystemUser() : null;
                try
                {
                    await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", data, "stop", "-m", "immediate", "-w"], owner, directory);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            DeleteDirectory(directory);
        }
    }

    private static bool OwnerIsAlive(string directory)
    {
        var ownerFile = Path.Combine(directory, "owner.pid");
        if (!File.Exists(ownerFile))
        {
            // Being created by another test process right now, unless it is old.
            return Directory.GetCreationTimeUtc(directory) > DateTime.UtcNow.AddMinutes(-10);
        }

        try
        {
            var pid = int.Parse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture);
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is IOException or FormatException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void StopAllAtExit()
    {
        Postgres[] servers;
        lock (Running)
        {
            servers = [.. Running];
            Running.Clear();
        }

        foreach (var server in servers.Where(s => s.IsRunning))
        {
            try
            {
                server.PgCtlAsync("stop", "-m", "immediate", "-w", "-t", "30").GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }

            DeleteDirectory(server._directory);
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
