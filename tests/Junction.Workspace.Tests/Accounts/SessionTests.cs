using Junction.Testing;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Accounts;

public sealed class SessionTests
{
    [Fact]
    public async Task SigningOutEverywhereEndsTheSessionsOfOtherBrowsers()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var laptop = new Browser(server.BaseAddress);
        using var phone = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(laptop);
        await AccountSteps.SignInAsync(phone);
        Assert.Equal(AccountSteps.Home, (await phone.OpenAsync("/")).Address.AbsolutePath);

        await laptop.OpenAsync("/account");
        var afterwards = await laptop.SubmitAsync("sign-out-everywhere", new Dictionary<string, string>());

        Assert.Equal("/sign-in", afterwards.Address.AbsolutePath);
        Assert.Equal("/sign-in", (await phone.OpenAsync("/")).Address.AbsolutePath);
        Assert.Equal("/sign-in", (await laptop.OpenAsync("/")).Address.AbsolutePath);
        Assert.Equal(AccountSteps.Home, (await AccountSteps.SignInAsync(phone)).Address.AbsolutePath);
        Assert.Contains("Signed Out Everywhere", await AccountSteps.AuditTextAsync(server), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsAndKeepsThisOne()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var laptop = new Browser(server.BaseAddress);
        using var phone = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(laptop);
        await AccountSteps.SignInAsync(phone);
        const string NewPassword = "a brand new passphrase";

        await laptop.OpenAsync("/account");
        var tooShort = await laptop.SubmitAsync("change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = AccountSteps.Password,
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });
        Assert.Contains("at least 10 characters", tooShort.Text, StringComparison.Ordinal);
        var wrongCurrent = await laptop.SubmitAsync("change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not my password",
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });
        Assert.Contains("The current password is not right.", wrongCurrent.Text, StringComparison.Ordinal);
        var changed = await laptop.SubmitAsync("change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = AccountSteps.Password,
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Contains("Your password is changed.", changed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, changed.Html, StringComparison.Ordinal);
        Assert.Equal(AccountSteps.Home, (await laptop.OpenAsync("/")).Address.AbsolutePath);
        Assert.Equal("/sign-in", (await phone.OpenAsync("/")).Address.AbsolutePath);
        Assert.Contains("do not match", (await AccountSteps.SignInAsync(phone)).Text, StringComparison.Ordinal);
        Assert.Equal(AccountSteps.Home, (await AccountSteps.SignInAsync(phone, password: NewPassword)).Address.AbsolutePath);
    }

    [Fact]
    public async Task SigningOutEndsThisSessionOnly()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var laptop = new Browser(server.BaseAddress);
        using var phone = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(laptop);
        await AccountSteps.SignInAsync(phone);

        await laptop.OpenAsync("/account");
        using var signOut = await laptop.PostFormAsync("", new Dictionary<string, string>());

        Assert.Equal(System.Net.HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/sign-in", signOut.Headers.Location!.OriginalString);
        Assert.Equal("/sign-in", (await laptop.OpenAsync("/")).Address.AbsolutePath);
        Assert.Equal(AccountSteps.Home, (await phone.OpenAsync("/")).Address.AbsolutePath);
    }

    [Fact]
    public async Task ASessionOfADeletedUserEnds()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(browser);

        await AccountSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<JunctionDbContext>().Users.Where(u => u.Id == owner.Id).ExecuteDeleteAsync());

        Assert.Equal("/sign-in", (await browser.OpenAsync("/")).Address.AbsolutePath);
    }
}
