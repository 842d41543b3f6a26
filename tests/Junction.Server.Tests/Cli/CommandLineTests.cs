using Junction.Testing;

namespace Junction.Server.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task ServePrintsWhereToOpenJunctionAndCreatesTheDataDirectory()
    {
        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "fresh");
        await using var server = await ServerProcess.StartAsync(data);

        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("Junction is running", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the banner");
        Assert.Contains($"Open {server.BaseAddress}", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "junction.db")));
        Assert.True(Directory.Exists(Path.Combine(data, "eventlog")));
    }

    [Fact]
    public async Task AnUnknownVerbIsRefusedWithUsage()
    {
        var (exitCode, _, error) = await ServerProcess.RunVerbAsync("tokens", "mint");

        Assert.NotEqual(0, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
