using System.Text.RegularExpressions;
using Junction.Testing;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Junction.Workspace.Tests.Accounts;

/// <summary>What account tests do again and again: make an owner, sign in through the page, read links from emails.</summary>
internal static partial class AccountSteps
{
    public const string OwnerEmail = "owner@example.test";
    public const string Password = "correct horse battery";

    /// <summary>Where a signed-in member of only the default workspace lands: that workspace's Connections page.</summary>
    public const string Home = "/w/my-workspace/connections";

    public static async Task<UserEntity> CreateOwnerAsync(JunctionTestServer server, string email = OwnerEmail, string password = Password)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var outcome = await FirstOwnerSetup.CreateOwnerAsync(db, new AuditTrail(db, time), time, email, "Olive Owner", password, CancellationToken.None);
        Assert.Null(outcome.Problem);
        return outcome.Value!;
    }

    public static Task<Browser.Page> SignInAsync(Browser browser, string email = OwnerEmail, string password = Password, string path = "/sign-in") =>
        SignInOnPageAsync(browser, path, email, password);

    public static async Task<Browser.Page> SignInOnPageAsync(Browser browser, string path, string email, string password)
    {
        await browser.OpenAsync(path);
        return await browser.SubmitAsync("sign-in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    /// <summary>The first link to <paramref name="path"/> in the text part of an email.</summary>
    public static string LinkIn(MimeMessage message, string path) => LinkIn(message.TextBody ?? "", path);

    public static string LinkIn(string text, string path)
    {
        var match = Regex.Match(text, "https?://[^\\s\"<>]+" + Regex.Escape(path) + "\\?token=[A-Za-z0-9_%-]+");
        Assert.True(match.Success, $"No {path} link in: {text}");
        return match.Value;
    }

    public static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    /// <summary>Every audit entry of every workspace, as text, to search for secrets.</summary>
    public static async Task<string> AuditTextAsync(JunctionTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JunctionDbContext>();
        var entries = await db.AuditEvents.AsNoTracking().ToListAsync();
        return string.Join('\n', entries.Select(e => $"{e.Type} {e.ActorName} {e.ResourceType} {e.ResourceName} {e.BeforeJson} {e.AfterJson}"));
    }

    public static async Task<T> InScopeAsync<T>(JunctionTestServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
