using System.Buffers.Text;
using Junction.Testing;
using Junction.Workspace.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Workspace.Tests.Accounts;

public sealed class PasswordResetTests
{
    private const string NewPassword = "a fresh and long passphrase";

    [Fact]
    public async Task AResetLinkSentThroughSmtpSetsANewPasswordAndWorksOnce()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);
        using var otherBrowser = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(otherBrowser);

        await browser.OpenAsync("/forgot-password");
        var asked = await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail });
        Assert.Contains("If an account exists for that email, we sent it a link", asked.Text, StringComparison.Ordinal);

        var email = await smtp.WaitForMessageToAsync(AccountSteps.OwnerEmail);
        Assert.Equal("Reset your Junction password", email.Subject);
        Assert.Contains("junction@example.test", email.From.ToString(), StringComparison.Ordinal);
        Assert.NotNull(email.HtmlBody);
        var link = AccountSteps.LinkIn(email, "/reset-password");
        Assert.Contains(link.Replace("&", "&amp;", StringComparison.Ordinal), email.HtmlBody, StringComparison.Ordinal);
        Assert.True(Base64Url.DecodeFromChars(AccountSteps.TokenOf(link)).Length >= 16, "a reset token carries at least 128 bits");

        await browser.OpenAsync(link);
        var changed = await browser.SubmitAsync("reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });
        Assert.Contains("Your password is changed", changed.Text, StringComparison.Ordinal);

        Assert.Contains("does not work any more", (await browser.OpenAsync(link)).Text, StringComparison.Ordinal);
        Assert.Equal("/sign-in", (await otherBrowser.OpenAsync("/")).Address.AbsolutePath);
        Assert.Contains("do not match", (await AccountSteps.SignInAsync(browser)).Text, StringComparison.Ordinal);
        Assert.Equal(AccountSteps.Home, (await AccountSteps.SignInAsync(browser, password: NewPassword)).Address.AbsolutePath);
        Assert.Contains("Password Reset", await AccountSteps.AuditTextAsync(server), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForAResetOfAnUnknownEmailAnswersTheSameAndSendsNothing()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        await browser.OpenAsync("/forgot-password");
        var unknown = await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.test" });
        await browser.OpenAsync("/forgot-password");
        var known = await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail });

        Assert.Equal(Answer(known.Text), Answer(unknown.Text));
        await smtp.WaitForMessageToAsync(AccountSteps.OwnerEmail);
        Assert.DoesNotContain(smtp.Messages, m => m.To.ToString().Contains("nobody", StringComparison.Ordinal));

        static string Answer(string text) => text[text.IndexOf("If an account exists", StringComparison.Ordinal)..];
    }

    [Fact]
    public async Task ThePageAnswersWithoutWaitingForTheEmailSoItsTimingDoesNotTellWhetherTheAccountExists()
    {
        var mail = new HeldEmail();
        await using var server = await JunctionTestServer.StartAsync(configure: b => b.Services.AddSingleton<IEmailSender>(mail));
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);

        // The mail server does not answer until it is let go; the page answers all the same, as for an unknown address.
        await browser.OpenAsync("/forgot-password");
        var known = await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail });
        Assert.Contains("If an account exists for that email, we sent it a link", known.Text, StringComparison.Ordinal);
        var sending = await mail.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(AccountSteps.OwnerEmail, sending.To);
        Assert.False(mail.Sent.Task.IsCompleted);

        mail.Release.SetResult();
        await mail.Sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AResetLinkStopsWorkingAfterOneHourAndATooShortPasswordKeepsItUsable()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await JunctionTestServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        await AccountSteps.CreateOwnerAsync(server);
        using var browser = new Browser(server.BaseAddress);
        await browser.OpenAsync("/forgot-password");
        await browser.SubmitAsync("forgot-password", new Dictionary<string, string> { ["Input.Email"] = AccountSteps.OwnerEmail });
        var outbox = server.Services.GetRequiredService<Outbox>();
        await Eventually.TrueAsync(async () => (await outbox.ListAsync(CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(10), "the reset email in the outbox");
        var link = AccountSteps.LinkIn((await outbox.ListAsync(CancellationToken.None)).Single().Text, "/reset-password");

        await browser.OpenAsync(link);
        var tooShort = await browser.SubmitAsync("reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = "tiny",
            ["Input.ConfirmPassword"] = "tiny",
        });
        Assert.Contains("Use at least 10 characters", tooShort.Text, StringComparison.Ordinal);
        Assert.True(tooShort.HasForm("reset-password"));

        clock.Advance(TimeSpan.FromMinutes(61));
        var expired = await browser.OpenAsync(link);
        Assert.Contains("does not work any more", expired.Text, StringComparison.Ordinal);
        Assert.False(expired.HasForm("reset-password"));
        Assert.Equal(AccountSteps.Home, (await AccountSteps.SignInAsync(browser)).Address.AbsolutePath);
    }

    /// <summary>An email sender that holds every message until <see cref="Release"/> is set.</summary>
    private sealed class HeldEmail : IEmailSender
    {
        public TaskCompletionSource<EmailMessage> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Started.TrySetResult(message);
            await Release.Task.WaitAsync(cancellationToken);
            Sent.TrySetResult();
            return true;
        }
    }
}
