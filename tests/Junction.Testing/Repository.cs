namespace Junction.Testing;

/// <summary>Paths inside the repository checkout the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Junction.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Could not find the repository root (Junction.slnx) above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    /// <summary>The Node.js fixtures (Segment's real client libraries), installed by the test command with npm ci.</summary>
    public static string NodeFixtures => Path.Combine(Root, "tests", "fixtures", "node");

    /// <summary>
    /// The built server (its own output folder, with its deps and runtime config), for tests that run it as a separate
    /// process. The configuration (Debug or Release) is the one the tests were built with.
    /// </summary>
    public static string ServerAssembly
    {
        get
        {
            var parts = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            var bin = Array.LastIndexOf(parts, "bin");
            var configuration = bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
            return Path.Combine(Root, "src", "Junction.Server", "bin", configuration, "net10.0", "Junction.Server.dll");
        }
    }
}
