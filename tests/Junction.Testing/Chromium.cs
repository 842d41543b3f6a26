using Microsoft.Playwright;

namespace Junction.Testing;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright: one browser with a fresh profile per instance, deleted on
/// dispose. Playwright never downloads a browser here; it drives <see cref="ExecutablePath"/>.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>The flags every test browser runs with: no sandbox (tests run as root), no GPU, and no traffic of its own.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly TempDirectory _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, TempDirectory profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    /// <summary>The browser to run: <c>JUNCTION_CHROMIUM</c> when set, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("JUNCTION_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    /// <summary>The browser's only context, on its own user-data directory.</summary>
    public IBrowserContext Context { get; }

    /// <summary>
    /// Starts a headless Chromium on a fresh user-data directory. With <paramref name="ignoreCertificateErrors"/> it
    /// accepts any TLS certificate, such as a self-signed one made by the test.
    /// </summary>
    public static async Task<Chromium> LaunchAsync(bool ignoreCertificateErrors = false, IEnumerable<string>? extraFlags = null)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}. Install Debian's package (apt-get install -y chromium) or set JUNCTION_CHROMIUM.");
        }

        var flags = Flags.Concat(extraFlags ?? []).ToList();
        if (ignoreCertificateErrors)
        {
            flags.Add("--ignore-certificate-errors");
        }

        var profile = new TempDirectory();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = flags,
                IgnoreHTTPSErrors = ignoreCertificateErrors,
                Timeout = 60_000,
            });
            return new Chromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>Opens a new tab.</summary>
    public Task<IPage> NewPageAsync() => Context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        _profile.Dispose();
    }
}
