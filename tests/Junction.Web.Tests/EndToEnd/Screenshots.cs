using Junction.Testing;
using Microsoft.Playwright;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>The screenshots the end-to-end tests take of every page they visit, kept in <c>docs/screenshots/</c> for the README's tour.</summary>
internal static class Screenshots
{
    /// <summary>
    /// Saves a full-page screenshot as <c>docs/screenshots/{name}.png</c>, with transitions finished (not caught halfway)
    /// and scrolled to the top first, so that the fixed top bar is drawn at the top and not where the test had scrolled.
    /// </summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        var directory = Path.Combine(Repository.Root, "docs", "screenshots");
        Directory.CreateDirectory(directory);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }
}
