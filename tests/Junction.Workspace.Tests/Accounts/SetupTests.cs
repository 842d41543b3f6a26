using System.Buffers.Text;
using Junction.Testing;
using Junction.Workspace.Accounts;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Accounts;

public sealed class SetupTests
{
    [Fact]
    public async Task TheSetupLinkCreatesTheFirstWorkspaceOwnerOnce()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var token = await IssueAsync(server);
        Assert.NotNull(token);
        Assert.True(Base64Url.DecodeFromChars(token).Length >= 16, "a setup token carries at least 128 bits");
        using var browser = new Browser(server.BaseAddress);

        Assert.Contains("Nobody has an account yet", (await browser.OpenAsync("/sign-in")).Text, StringComparison.Ordinal);
        await browser.OpenAsync("/setup?token=" + token);
        var mismatch = await browser.SubmitAsync("setup", Fields("one passphrase here", "another passphrase"));
        Assert.Contains("The two passwords are not the same.", mismatch.Text, StringComparison.Ordinal);
        var home = await browser.SubmitAsync("setup", Fields("the first owner's passphrase", "the first owner's passphrase"));

        Assert.Equal(AccountSteps.Home, home.Address.AbsolutePath);
        Assert.Contains("Workspace Owner", (await browser.OpenAsync("/?all")).Text, StringComparison.Ordinal);
        Assert.Contains("does not work any more", (await browser.OpenAsync("/setup?token=" + token)).Text, StringComparison.Ordinal);
        using var again = new Browser(server.BaseAddress);
        await again.OpenAsync("/setup?token=" + token);
        Assert.False(again.Current!.HasForm("setup"));
        Assert.Null(await IssueAsync(server));
        Assert.DoesNotContain("Nobody has an account yet", (await again.OpenAsync("/sign-in")).Text, StringComparison.Ordinal);
        var members = await AccountSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().WorkspaceMembers.CountAsync());
        Assert.Equal(1, members);

        static Dictionary<string, string> Fields(string password, string confirm) => new()
        {
            ["Input.Name"] = "Ada Admin",
            ["Input.Email"] = "ada@example.test",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm,
        };
    }

    [Fact]
    public async Task ANewSetupLinkReplacesTheOldOne()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var first = await IssueAsync(server);
        var second = await IssueAsync(server);
        using var browser = new Browser(server.BaseAddress);

        Assert.False((await browser.OpenAsync("/setup?token=" + first)).HasForm("setup"));
        Assert.True((await browser.OpenAsync("/setup?token=" + second)).HasForm("setup"));
        Assert.False((await browser.OpenAsync("/setup?token=not-a-token")).HasForm("setup"));
        Assert.False((await browser.OpenAsync("/setup")).HasForm("setup"));
    }

    private static Task<string?> IssueAsync(JunctionTestServer server) =>
        AccountSteps.InScopeAsync(server, sp => FirstOwnerSetup.IssueTokenAsync(
            sp.GetRequiredService<JunctionDbContext>(), sp.GetRequiredService<TimeProvider>(), CancellationToken.None));
}
