using System.Globalization;

namespace Junction.Bench.DeliveryLatency;

/// <summary>The command line: load shape, ports, the server to start and configuration overrides for it.</summary>
internal sealed record BenchSettings(
    int Rate,
    int WarmupSeconds,
    int DurationSeconds,
    int DrainSeconds,
    int Port,
    int Users,
    bool KeepData,
    string ServerDll,
    string OutputDirectory,
    IReadOnlyList<string> ServerArguments)
{
    public int WarmupEvents => Rate * WarmupSeconds;

    public int TotalEvents => Rate * (WarmupSeconds + DurationSeconds);

    public static BenchSettings Parse(string[] args)
    {
        var root = RepositoryRoot();
        var rate = 1000;
        var warmup = 10;
        var duration = 60;
        var drain = 30;
        var port = 18090;
        var users = 100;
        var keep = false;
        var server = Path.Combine(root, "src/Junction.Server/bin/Release/net10.0/Junction.Server.dll");
        var output = Path.Combine(root, "artifacts/delivery-latency", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        var serverArguments = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rate": rate = Int(args, ++i); break;
                case "--warmup": warmup = Int(args, ++i); break;
                case "--duration": duration = Int(args, ++i); break;
                case "--drain": drain = Int(args, ++i); break;
                case "--port": port = Int(args, ++i); break;
                case "--users": users = Int(args, ++i); break;
                case "--keep-data": keep = true; break;
                case "--server": server = Path.GetFullPath(args[++i]); break;
                case "--out": output = Path.GetFullPath(args[++i]); break;
                case "--": serverArguments.AddRange(args[(i + 1)..]); i = args.Length; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}; see the header of Program.cs.");
            }
        }

        if (!File.Exists(server))
        {
            throw new FileNotFoundException($"{server} is missing: dotnet build src/Junction.Server -c Release");
        }

        return new BenchSettings(rate, warmup, duration, drain, port, users, keep, server, output, serverArguments);
    }

    private static int Int(string[] args, int i) => int.Parse(args[i], CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Junction.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
