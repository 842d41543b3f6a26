using Junction.Testing;

namespace Junction.Workspace.Tests.PublicApi;

public sealed class TokensVerbTests
{
    [Fact]
    public async Task WhenATokenIsCreatedOnTheCommandLineItOpensThePublicApiOfAServerOnTheSameData()
    {
        using var data = new TempDirectory();

        var (exitCode, output, errors) = await ServerProcess.RunVerbAsync("tokens", "create", "--name", "ci", "--data", data.Path);

        Assert.True(exitCode == 0, $"tokens create exited with {exitCode}: {errors}");
        var token = output.Trim();
        Assert.StartsWith("jct_", token, StringComparison.Ordinal);
        await using var server = await JunctionTestServer.StartAsync(data.Path);
        using var api = server.ClientWithToken(token);
        var workspace = (await (await api.GetAsync("")).ReadDataAsync()).GetProperty("workspace");
        Assert.Equal("My Workspace", workspace.GetProperty("name").GetString());
        await api.CreateSourceAsync("made-with-cli-token");
    }

    [Fact]
    public async Task WhenTheNameIsMissingTheVerbFailsWithoutMakingAToken()
    {
        using var data = new TempDirectory();

        var (exitCode, output, _) = await ServerProcess.RunVerbAsync("tokens", "create", "--data", data.Path);

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("jct_", output, StringComparison.Ordinal);
    }
}
