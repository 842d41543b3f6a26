using System.Text.RegularExpressions;
using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>
/// What the README promises a newcomer, on a laptop screen and with the keyboard: start the server as its own
/// process on an empty data directory, open the setup link it prints, create the owner, add a JavaScript source, put
/// the snippet from Setup into a page, and watch that page's call arrive in the Debugger.
/// </summary>
public sealed partial class NewcomerTests
{
    private const int LaptopWidth = 1280;
    private const int LaptopHeight = 720;

    [Fact]
    public async Task FromTheSetupLinkToAPageCallInTheDebuggerWithTheKeyboard()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        await Eventually.TrueAsync(() => Task.FromResult(SetupLink().IsMatch(server.Output)), TimeSpan.FromSeconds(10), "the setup link");
        var link = SetupLink().Match(server.Output).Value;
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.SetViewportSizeAsync(LaptopWidth, LaptopHeight);

        await page.GotoAsync(link);
        await page.GetByLabel("Your name").FillAsync("Nora Newcomer");
        await page.GetByLabel("Email").FillAsync("nora@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a newcomer's passphrase");
        await page.GetByLabel("Type the password again").FillAsync("a newcomer's passphrase");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/connections", StringComparison.Ordinal));
        await Expect(page.GetByText("No sources yet")).ToBeVisibleAsync();
        await AssertEveryControlIsNamedAsync(page);
        await Screenshots.SaveAsync(page, "newcomer-connections");

        await TabToAsync(page, "Add your first source");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add a source");
        await AssertEveryControlIsNamedAsync(page);
        await TabToAsync(page, "Javascript");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add Javascript");
        await AssertEveryControlIsNamedAsync(page);
        // The fields are enabled once the page is interactive; typed before that, the name would be lost.
        await Expect(page.Locator("#source-name")).ToBeEnabledAsync();
        await page.Locator("#source-name").FocusAsync();
        await page.Keyboard.TypeAsync("Docs Site");
        await Expect(page.Locator("#source-slug")).ToHaveValueAsync("docs-site");
        await Expect(page.Locator("[data-test=create-source]")).ToBeEnabledAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/setup", StringComparison.Ordinal));
        var snippet = await page.Locator("[data-test=snippet] pre").InnerTextAsync();
        Assert.Contains(server.BaseAddress.ToString().TrimEnd('/'), snippet, StringComparison.Ordinal);
        await AssertEveryControlIsNamedAsync(page);

        await using var site = await CustomerSite.StartAsync(DebuggerTestPage.DocsPage(snippet));
        await TabToAsync(page, "Debugger");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/debugger", StringComparison.Ordinal));
        var visitor = await chromium.NewPageAsync();
        await visitor.GotoAsync(new Uri(site.BaseAddress, "docs/start").ToString());

        var pageRow = page.Locator("[data-test=debugger-row][data-type=page]");
        await pageRow.WaitForAsync(new() { Timeout = 45_000 });
        await pageRow.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("path: \"/docs/start\"", await page.Locator("[data-test=pretty-call] pre").InnerTextAsync(), StringComparison.Ordinal);
        await AssertEveryControlIsNamedAsync(page);
        await Screenshots.SaveAsync(page, "newcomer-debugger");
    }

    /// <summary>
    /// Presses Tab until the focused element's text or accessible name starts with <paramref name="name"/>, and checks
    /// that focus is visible there (an outline or a box shadow), as a keyboard user needs.
    /// </summary>
    private static async Task TabToAsync(IPage page, string name)
    {
        var seen = new List<string>();
        for (var presses = 0; presses < 60; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<FocusedElement>(
                """
                () => {
                  const e = document.activeElement;
                  const style = e ? getComputedStyle(e) : null;
                  return {
                    name: e ? ((e.getAttribute('aria-label') || e.textContent || '').trim()) : '',
                    visible: !!style && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'),
                  };
                }
                """);
            seen.Add(focused.Name);
            if (focused.Name.StartsWith(name, StringComparison.Ordinal))
            {
                Assert.True(focused.Visible, $"Focus on \"{name}\" is not visible.");
                return;
            }
        }

        Assert.Fail($"Tab never reached \"{name}\"; it went through: {string.Join(" | ", seen)}");
    }

    /// <summary>
    /// Every visible button, link and form field on the page has a name a screen reader can say: its text, an
    /// aria-label or aria-labelledby, a title, or (for a field) a label.
    /// </summary>
    private static async Task AssertEveryControlIsNamedAsync(IPage page)
    {
        var unnamed = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button]')]
              .filter(e => e.getClientRects().length > 0)
              .filter(e => !((e.getAttribute('aria-label') || '').trim() || e.getAttribute('aria-labelledby')
                  || (e.textContent || '').trim() || (e.getAttribute('title') || '').trim()
                  || (e.labels && e.labels.length > 0) || e.querySelector('img[alt]:not([alt=""])')))
              .map(e => e.outerHTML.slice(0, 160))
            """);
        Assert.True(unnamed.Length == 0, $"Controls without a name on {page.Url}:\n{string.Join("\n", unnamed)}");
    }

    [GeneratedRegex(@"http://\S+/setup\?token=\S+")]
    private static partial Regex SetupLink();

    private sealed class FocusedElement
    {
        public string Name { get; set; } = "";

        public bool Visible { get; set; }
    }
}
