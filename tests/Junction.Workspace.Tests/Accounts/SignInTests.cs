using System.Net;
using Junction.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Workspace.Tests.Accounts;

public sealed class SignInTests
{
    [Fact]
    public async Task SigningInWithTheRightPasswordOpensTheOnlyWorkspaceAndListsTheUsersWorkspaces()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        var home = await AccountSteps.SignInAsync(browser);

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal(AccountSteps.Home, home.Address.AbsolutePath);
        home = await browser.OpenAsync("/?all");
        Assert.Contains("Your workspaces", home.Text, StringComparison.Ordinal);
        Assert.Contains("My Workspace", home.Text, StringComparison.Ordinal);
        Assert.Contains("Workspace Owner", home.Text, StringComparison.Ordinal);
        foreach (var asset in (string[])["_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "_content/Junction.Web/junction.css", "_framework/blazor.web.js"])
        {
            Assert.Contains(asset, home.Html, StringComparison.Ordinal);
            using var served = await server.Http.GetAsync(asset);
            Assert.True(served.IsSuccessStatusCode, $"{asset} answered {(int)served.StatusCode}");
        }
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownEmailGetTheSameAnswerAndNoSession()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        var wrongPassword = await AccountSteps.SignInAsync(browser, password: "not the password");
        var unknownEmail = await AccountSteps.SignInAsync(browser, email: "nobody@example.test");

        const string Generic = "That email and password do not match an account.";
        Assert.Contains(Generic, wrongPassword.Text, StringComparison.Ordinal);
        Assert.Contains(Generic, unknownEmail.Text, StringComparison.Ordinal);
        Assert.Equal("/sign-in", unknownEmail.Address.AbsolutePath);
        Assert.DoesNotContain("not the password", wrongPassword.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(server.BaseAddress), c => c.Name == "junction.session");
    }

    [Fact]
    public async Task AnAnonymousVisitorIsSentToSignInAndBackToWhereTheyWereGoing()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        var signIn = await browser.OpenAsync("/account");

        Assert.Equal("/sign-in", signIn.Address.AbsolutePath);
        Assert.Contains("returnUrl=%2Faccount", signIn.Address.Query, StringComparison.Ordinal);
        var account = await browser.SubmitAsync("sign-in", new Dictionary<string, string>
        {
            ["Input.Email"] = AccountSteps.OwnerEmail,
            ["Input.Password"] = AccountSteps.Password,
        });
        Assert.Equal("/account", account.Address.AbsolutePath);
        Assert.Contains("Change your password", account.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReturnUrlToAnotherSiteIsNotFollowed()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        var landed = await AccountSteps.SignInAsync(browser, path: "/sign-in?returnUrl=%2F%2Fevil.example%2F");

        Assert.Equal(server.BaseAddress.Host, landed.Address.Host);
        Assert.Equal(AccountSteps.Home, landed.Address.AbsolutePath);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountForFifteenMinutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await JunctionTestServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var refused = await AccountSteps.SignInAsync(browser, password: $"wrong password {attempt}");
            Assert.Contains("do not match an account", refused.Text, StringComparison.Ordinal);
        }

        var fifth = await AccountSteps.SignInAsync(browser, password: "wrong password 5");
        Assert.Contains("this account is locked", fifth.Text, StringComparison.Ordinal);
        Assert.Contains("15 minutes", fifth.Text, StringComparison.Ordinal);

        var rightButLocked = await AccountSteps.SignInAsync(browser);
        Assert.Contains("this account is locked", rightButLocked.Text, StringComparison.Ordinal);
        Assert.Equal("/sign-in", rightButLocked.Address.AbsolutePath);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Contains("this account is locked", (await AccountSteps.SignInAsync(browser)).Text, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var home = await AccountSteps.SignInAsync(browser);
        Assert.Equal(AccountSteps.Home, home.Address.AbsolutePath);
        home = await browser.OpenAsync("/?all");
        Assert.Contains("Your workspaces", home.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLockoutCanBeConfigured()
    {
        await using var server = await JunctionTestServer.StartAsync(settings:
            [("Accounts:MaxFailedSignIns", "2"), ("Accounts:LockoutDuration", "01:00:00")]);
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        await AccountSteps.SignInAsync(browser, password: "wrong password 1");
        var second = await AccountSteps.SignInAsync(browser, password: "wrong password 2");

        Assert.Contains("this account is locked", second.Text, StringComparison.Ordinal);
        Assert.Contains("1 hour", second.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadAccountsSettingStopsTheServerNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            JunctionTestServer.StartAsync(settings: [("Accounts:MaxFailedSignIns", "0")]));

        Assert.Contains("Accounts:MaxFailedSignIns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPostsFromOneAddressAreSlowedDownWith429()
    {
        await using var server = await JunctionTestServer.StartAsync(settings: [("Accounts:FormPostsPerMinute", "3")]);
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);
        await browser.OpenAsync("/sign-in");
        var fields = new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail, ["Input.Password"] = "wrong password" };

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await browser.PostFormAsync("sign-in", fields);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await browser.PostFormAsync("sign-in", fields);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/sign-in")).Status);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(browser);

        using var signIn = await browser.PostRawAsync("/sign-in", new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Email"] = AccountSteps.OwnerEmail,
            ["Input.Password"] = AccountSteps.Password,
        });
        using var signOut = await browser.PostRawAsync("/sign-out", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(AccountSteps.Home, (await browser.OpenAsync("/")).Address.AbsolutePath);
    }
}
