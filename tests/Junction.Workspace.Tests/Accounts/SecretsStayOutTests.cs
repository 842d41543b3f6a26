using Junction.Testing;
using Junction.Workspace.Tests.Invites;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Junction.Workspace.Tests.Accounts;

public sealed class SecretsStayOutTests
{
    [Fact]
    public async Task PasswordsAndLinkTokensNeverReachTheLogsTheAuditTrailOrApiAnswers()
    {
        var logs = new LogCapture();
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(
            settings: smtp.Settings,
            configure: b =>
            {
                // Junction's own categories at every level; the framework's as shipped (appsettings.json).
                b.Logging.SetMinimumLevel(LogLevel.Trace);
                b.Logging.AddFilter("Microsoft", LogLevel.Warning);
                b.Logging.AddProvider(logs);
            });
        var secrets = new List<string>();
        using var browser = new Browser(server.BaseAddress);

        var setupToken = await AccountSteps.InScopeAsync(server, sp => Junction.Workspace.Accounts.FirstOwnerSetup.IssueTokenAsync(
            sp.GetRequiredService<Junction.Workspace.Data.JunctionDbContext>(), sp.GetRequiredService<TimeProvider>(), CancellationToken.None));
        secrets.Add(setupToken!);
        const string OwnerPassword = "owner passphrase 1234";
        secrets.Add(OwnerPassword);
        await browser.OpenAsync("/setup?token=" + Uri.EscapeDataString(setupToken!));
        await browser.SubmitAsync("setup", new Dictionary<string, string>
        {
            ["Input.Name"] = "Olive",
            ["Input.Email"] = AccountSteps.OwnerEmail,
            ["Input.Password"] = OwnerPassword,
            ["Input.ConfirmPassword"] = OwnerPassword,
        });
        secrets.Add("a wrong passphrase 42");
        using (var stranger = new Browser(server.BaseAddress))
        {
            await AccountSteps.SignInAsync(stranger, password: "a wrong passphrase 42");
        }

        await browser.OpenAsync("/forgot-password");
        await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail });
        var resetLink = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync(AccountSteps.OwnerEmail), "/reset-password");
        secrets.Add(AccountSteps.TokenOf(resetLink));
        const string ResetPassword = "reset passphrase 5678";
        secrets.Add(ResetPassword);
        await browser.OpenAsync(resetLink);
        await browser.SubmitAsync("reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = ResetPassword,
            ["Input.ConfirmPassword"] = ResetPassword,
        });

        using var api = await server.CreateApiClientAsync();
        using var invited = await api.PostJsonAsync("invites", """{"invites":[{"email":"ivy@example.test"}]}""");
        var apiAnswers = await invited.Content.ReadAsStringAsync() + await (await api.GetAsync("invites")).Content.ReadAsStringAsync();
        var inviteLink = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("ivy@example.test"), "/invite/accept");
        secrets.Add(AccountSteps.TokenOf(inviteLink));
        secrets.Add(InviteSteps.NewPassword);
        using var ivy = new Browser(server.BaseAddress);
        await InviteSteps.AcceptWithNewAccountAsync(ivy, inviteLink, "Ivy");
        await ivy.OpenAsync("/account");
        await ivy.SubmitAsync("change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = InviteSteps.NewPassword,
            ["Input.Password"] = "ivy's second passphrase",
            ["Input.ConfirmPassword"] = "ivy's second passphrase",
        });
        secrets.Add("ivy's second passphrase");

        var audit = await AccountSteps.AuditTextAsync(server);
        Assert.Contains("Invite Accepted", audit, StringComparison.Ordinal);
        Assert.Contains("Password Changed", audit, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("Sign-in refused", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("reset their password", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, apiAnswers, StringComparison.Ordinal);
        }
    }
}
