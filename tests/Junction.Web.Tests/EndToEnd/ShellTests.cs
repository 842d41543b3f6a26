using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>The app's frame: signing in lands in the workspace, with its navigation and the user menu.</summary>
public sealed class ShellTests
{
    [Fact]
    public async Task SigningInLandsOnTheWorkspacesConnectionsWithItsNavigation()
    {
        await using var app = await AppSession.StartAsync();

        await app.GoAsync("/");

        Assert.EndsWith($"/w/{app.WorkspaceSlug}/connections", app.Page.Url, StringComparison.Ordinal);
        Assert.Equal("Connections", await app.Page.Locator("h1").InnerTextAsync());
        var navigation = app.Page.GetByRole(AriaRole.Navigation, new() { Name = "Workspace navigation" });
        Assert.True(await navigation.GetByRole(AriaRole.Link, new() { Name = "Connections" }).IsVisibleAsync());
        Assert.True(await navigation.GetByRole(AriaRole.Link, new() { Name = "Settings" }).IsVisibleAsync());
        await app.ScreenshotAsync("connections-empty");
    }

    [Fact]
    public async Task AnAnonymousVisitorIsSentToSignIn()
    {
        await using var app = await AppSession.StartAsync();
        await using var stranger = await Junction.Testing.Chromium.LaunchAsync();
        var page = await stranger.NewPageAsync();

        await page.GotoAsync(app.BaseUrl + $"/w/{app.WorkspaceSlug}/connections");

        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkspaceTheUserDoesNotBelongToLooksLikeOneThatDoesNotExist()
    {
        await using var app = await AppSession.StartAsync();

        await app.GoAsync("/w/someone-elses/connections");

        Assert.Equal("Workspace not found", await app.Page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task UntilThePageIsInteractiveItsFieldsAreDisabledSoThatNothingTypedIsLost()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        var form = $"/w/{app.WorkspaceSlug}/sources/new/javascript";

        // Without Blazor's script the circuit never connects: the page stays as the HTML the server first sent.
        await page.RouteAsync("**/_framework/blazor.web.js", route => route.AbortAsync());
        await page.GotoAsync(app.BaseUrl + form);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Add Javascript");
        await Expect(page.Locator("#source-name")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-test=create-source]")).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to the catalog" })).ToBeEnabledAsync();

        await page.UnrouteAsync("**/_framework/blazor.web.js");
        await page.ReloadAsync();
        await Expect(page.Locator("#source-name")).ToBeEnabledAsync();
        await page.Locator("#source-name").FocusAsync();
        await page.Keyboard.TypeAsync("Docs Site");
        await Expect(page.Locator("#source-slug")).ToHaveValueAsync("docs-site");
    }
}
