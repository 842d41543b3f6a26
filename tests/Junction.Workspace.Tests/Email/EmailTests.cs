using Junction.Testing;
using Junction.Workspace.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Junction.Workspace.Tests.Email;

public sealed class EmailTests
{
    private static readonly EmailMessage Message = new(
        "grace@example.test", "Hello from the tests", "Plain words.\n", "<p>Plain <b>words</b>.</p>");

    [Fact]
    public async Task WithoutAnSmtpHostMessagesAreWrittenToTheOutboxAsEmlFiles()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var sender = server.Services.GetRequiredService<IEmailSender>();
        var outbox = server.Services.GetRequiredService<Outbox>();

        Assert.IsType<Outbox>(sender);
        Assert.True(await sender.SendAsync(Message, CancellationToken.None));

        var file = Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "outbox"), "*.eml"));
        var mime = await MimeMessage.LoadAsync(file);
        Assert.Equal("Hello from the tests", mime.Subject);
        Assert.Equal("grace@example.test", mime.To.Mailboxes.Single().Address);
        Assert.Equal("junction@localhost", mime.From.Mailboxes.Single().Address);
        Assert.Contains("Plain words.", mime.TextBody, StringComparison.Ordinal);
        Assert.Contains("<b>words</b>", mime.HtmlBody, StringComparison.Ordinal);

        var listed = Assert.Single(await outbox.ListAsync(CancellationToken.None));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), listed.Id);
        Assert.Equal("Hello from the tests", listed.Subject);
        Assert.Equal("grace@example.test", listed.To);
        var read = await outbox.ReadAsync(listed.Id, CancellationToken.None);
        Assert.Contains("Plain words.", read!.Text, StringComparison.Ordinal);
        Assert.Null(await outbox.ReadAsync("../junction", CancellationToken.None));
    }

    [Fact]
    public async Task WithAnSmtpHostMessagesAreSentToTheServerInTextAndHtml()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        var sender = server.Services.GetRequiredService<IEmailSender>();

        Assert.IsType<SmtpEmailSender>(sender);
        Assert.True(await sender.SendAsync(Message, CancellationToken.None));

        var received = await smtp.WaitForMessageToAsync("grace@example.test");
        Assert.Equal("Hello from the tests", received.Subject);
        Assert.Contains("Plain words.", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("<b>words</b>", received.HtmlBody, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "outbox")));
    }

    [Fact]
    public async Task AnSmtpServerThatIsNotThereIsReportedNotThrown()
    {
        await using var server = await JunctionTestServer.StartAsync(settings:
            [("Email:Host", "127.0.0.1"), ("Email:Port", ServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Email:Security", "None")]);

        Assert.False(await server.Services.GetRequiredService<IEmailSender>().SendAsync(Message, CancellationToken.None));
    }

    [Fact]
    public async Task ABadEmailSettingStopsTheServerNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            JunctionTestServer.StartAsync(settings: [("Email:Host", "smtp.example.test"), ("Email:From", "not an address")]));

        Assert.Contains("Email:From", error.Message, StringComparison.Ordinal);
    }
}
