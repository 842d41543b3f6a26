using Junction.Testing;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// A whole Junction in the test process, a Workspace Owner account, and Debian's headless Chromium signed in to the
/// app: what every end-to-end test of the web app starts from. <see cref="ScreenshotAsync"/> saves each page a test
/// visits into <c>docs/screenshots/</c>, so the screenshots in the README are always the app as it is.
/// </summary>
public sealed class AppSession : IAsyncDisposable
{
    public const string OwnerEmail = "olivia.owner@example.com";
    public const string OwnerPassword = "a long owner passphrase";

    private AppSession(JunctionTestServer server, Chromium chromium, IPage page)
    {
        Server = server;
        Chromium = chromium;
        Page = page;
    }

    public JunctionTestServer Server { get; }

    public Chromium Chromium { get; }

    /// <summary>The signed-in owner's tab.</summary>
    public IPage Page { get; }

    public string BaseUrl => Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The default workspace's slug, where the owner lands after signing in.</summary>
    public string WorkspaceSlug => WorkspaceBootstrap.DefaultWorkspaceSlug;

    /// <summary>Starts Junction, creates the owner and signs them in.</summary>
    public static async Task<AppSession> StartAsync(IEnumerable<(string Key, string Value)>? settings = null)
    {
        var server = await JunctionTestServer.StartAsync(settings: settings);
        Chromium? chromium = null;
        try
        {
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var services = scope.ServiceProvider;
                var created = await FirstOwnerSetup.CreateOwnerAsync(
                    services.GetRequiredService<JunctionDbContext>(), services.GetRequiredService<AuditTrail>(), services.GetRequiredService<TimeProvider>(),
                    OwnerEmail, "Olivia Owner", OwnerPassword, CancellationToken.None);
                if (created.Problem is { } problem)
                {
                    throw new InvalidOperationException(problem.Message);
                }
            }

            chromium = await Chromium.LaunchAsync();
            var page = await chromium.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            var session = new AppSession(server, chromium, page);
            await session.SignInAsync(page, OwnerEmail, OwnerPassword);
            return session;
        }
        catch
        {
            if (chromium is not null)
            {
                await chromium.DisposeAsync();
            }

            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs a person in on <paramref name="page"/> through the sign-in form, as they would.</summary>
    public async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync(BaseUrl + "/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }

    /// <summary>Opens a path of the app and waits until the interactive page has settled.</summary>
    public async Task GoAsync(string path, IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Saves a full-page screenshot of <paramref name="page"/> (the owner's tab unless given) as <c>docs/screenshots/{name}.png</c>.</summary>
    public Task ScreenshotAsync(string name, IPage? page = null) => Screenshots.SaveAsync(page ?? Page, name);

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Server.DisposeAsync();
    }
}
