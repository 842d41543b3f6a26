using System.Text.RegularExpressions;
using Junction.Testing;

namespace Junction.Server.Tests.Cli;

public sealed class UsersCommandTests
{
    private const string Password = "a headless passphrase";

    [Fact]
    public async Task CreateOwnerMakesAWorkspaceOwnerWithoutABrowser()
    {
        using var data = new TempDirectory();

        var (exitCode, output, errors) = await ServerProcess.RunVerbAsync(
            "users", "create-owner", "--email", "root@example.test", "--password", Password, "--name", "Root", "--data", data.Path);

        Assert.True(exitCode == 0, $"users create-owner exited with {exitCode}: {errors}");
        Assert.Contains("root@example.test", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        await using var server = await ServerProcess.StartAsync(data.Path);
        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("Junction is running", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the banner");
        Assert.DoesNotContain("/setup?token=", server.Output, StringComparison.Ordinal);
        using var browser = new Browser(server.BaseAddress);
        await browser.OpenAsync("/sign-in");
        var home = await browser.SubmitAsync("sign-in", new Dictionary<string, string>
        {
            ["Input.Email"] = "root@example.test",
            ["Input.Password"] = Password,
        });
        Assert.Equal("/w/my-workspace/connections", home.Address.AbsolutePath);
        Assert.Contains("Workspace Owner", (await browser.OpenAsync("/?all")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateOwnerRefusesAShortPasswordAndATakenEmail()
    {
        using var data = new TempDirectory();

        var (shortExit, shortOutput, shortErrors) = await ServerProcess.RunVerbAsync(
            "users", "create-owner", "--email", "root@example.test", "--password", "short", "--data", data.Path);
        var (firstExit, _, _) = await ServerProcess.RunVerbAsync(
            "users", "create-owner", "--email", "root@example.test", "--password", Password, "--data", data.Path);
        var (takenExit, _, takenErrors) = await ServerProcess.RunVerbAsync(
            "users", "create-owner", "--email", "ROOT@example.test", "--password", Password, "--data", data.Path);

        Assert.NotEqual(0, shortExit);
        Assert.Contains("at least 10 characters", shortErrors, StringComparison.Ordinal);
        Assert.DoesNotContain("Created", shortOutput, StringComparison.Ordinal);
        Assert.Equal(0, firstExit);
        Assert.NotEqual(0, takenExit);
        Assert.Contains("exists already", takenErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSetupLinkThatServePrintsCreatesTheFirstOwnerOnce()
    {
        using var data = new TempDirectory();
        string link;
        await using (var server = await ServerProcess.StartAsync(data.Path))
        {
            await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("/setup?token=", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the setup link");
            link = Regex.Match(server.Output, @"http://\S+/setup\?token=\S+").Value;
            Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), link, StringComparison.Ordinal);

            using var browser = new Browser(server.BaseAddress);
            await browser.OpenAsync(link);
            var home = await browser.SubmitAsync("setup", new Dictionary<string, string>
            {
                ["Input.Name"] = "First Owner",
                ["Input.Email"] = "first@example.test",
                ["Input.Password"] = Password,
                ["Input.ConfirmPassword"] = Password,
            });
            Assert.Equal("/w/my-workspace/connections", home.Address.AbsolutePath);
            Assert.Contains("Workspace Owner", (await browser.OpenAsync("/?all")).Text, StringComparison.Ordinal);

            using var second = new Browser(server.BaseAddress);
            var used = await second.OpenAsync(link);
            Assert.Contains("does not work any more", used.Text, StringComparison.Ordinal);
            Assert.False(used.HasForm("setup"));
            await server.StopAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(data.Path);
        await Eventually.TrueAsync(() => Task.FromResult(restarted.Output.Contains("Junction is running", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the banner");
        Assert.DoesNotContain("/setup?token=", restarted.Output, StringComparison.Ordinal);
    }
}
