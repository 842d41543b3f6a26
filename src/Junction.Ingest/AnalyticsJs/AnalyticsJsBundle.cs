using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Junction.Ingest.AnalyticsJs;

/// <summary>
/// The analytics.js files on disk: the standalone bundle and the lazy chunks of the same build. The folder is read
/// once; only files found in it are ever served, looked up by exact name, so a request cannot reach anything else.
/// </summary>
internal sealed partial class AnalyticsJsBundle
{
    /// <summary>The file name of the snippet build of analytics.js (<c>dist/umd/standalone.js</c> in the npm package).</summary>
    public const string StandaloneFileName = "standalone.js";

    /// <summary>The folder, beside the server's assemblies, that the build copies the files to.</summary>
    public const string DefaultFolderName = "analytics-next";

    private readonly FrozenDictionary<string, BundleFile> _chunks;

    public AnalyticsJsBundle(IOptions<AnalyticsJsOptions> options, ILogger<AnalyticsJsBundle> logger)
    {
        var configured = options.Value.BundleDirectory;
        Directory = Path.GetFullPath(string.IsNullOrEmpty(configured) ? Path.Combine(AppContext.BaseDirectory, DefaultFolderName) : configured);
        var standalone = new FileInfo(Path.Combine(Directory, StandaloneFileName));
        Standalone = standalone.Exists ? new BundleFile(standalone) : null;
        _chunks = System.IO.Directory.Exists(Directory)
            ? new DirectoryInfo(Directory).EnumerateFiles("*.bundle.*.js")
                .ToFrozenDictionary(f => f.Name, f => new BundleFile(f), StringComparer.Ordinal)
            : FrozenDictionary<string, BundleFile>.Empty;
        if (Standalone is null)
        {
            LogMissing(logger, standalone.FullName);
        }
    }

    /// <summary>The folder the files are read from.</summary>
    public string Directory { get; }

    /// <summary>The standalone bundle, or null when this installation has none.</summary>
    public BundleFile? Standalone { get; }

    /// <summary>The lazy chunk named <paramref name="fileName"/>, when there is one.</summary>
    public BundleFile? FindChunk(string fileName) => _chunks.GetValueOrDefault(fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "analytics.js is not available: {Path} does not exist. Websites cannot load analytics.js from this server; build Junction.Ingest with npm installed.")]
    private static partial void LogMissing(ILogger logger, string path);
}

/// <summary>One served file with the validators a browser revalidates it with.</summary>
internal sealed class BundleFile(FileInfo file)
{
    public string Path { get; } = file.FullName;

    public string Name { get; } = file.Name;

    public DateTimeOffset LastModified { get; } = new(file.LastWriteTimeUtc, TimeSpan.Zero);

    public EntityTagHeaderValue ETag { get; } = new($"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");
}
