using Microsoft.Playwright;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>What a person does in Settings > Access Management, as steps of the end-to-end tests.</summary>
internal static class AccessSteps
{
    public const string TeammatePassword = "a teammate's long passphrase";

    public static string AccessPath(AppSession app) => $"/w/{app.WorkspaceSlug}/settings/access";

    /// <summary>Chooses an option of a MudBlazor select: opens its list and clicks the option.</summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.Locator(".mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".mud-popover-open .mud-list")).ToHaveCountAsync(0);
    }

    /// <summary>In a permission editor: adds a role and chooses it (its scope starts as "all").</summary>
    public static async Task<ILocator> GiveRoleAsync(IPage page, ILocator editor, string role)
    {
        await editor.Locator("[data-test=add-permission]").ClickAsync();
        var permission = editor.Locator("[data-test=permission]").Last;
        await ChooseAsync(page, permission, role);
        return permission;
    }

    /// <summary>Opens "+ Invite Team Member", types the addresses, optionally gives a role, and sends the invites.</summary>
    public static async Task InviteAsync(AppSession app, string emails, string? role = null, string? screenshot = null)
    {
        var page = app.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite Team Member" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email addresses").FillAsync(emails);
        if (role is not null)
        {
            await GiveRoleAsync(page, dialog, role);
        }

        if (screenshot is not null)
        {
            await app.ScreenshotAsync(screenshot);
        }

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    /// <summary>The invite link the Access Management page shows from the outbox for an address.</summary>
    public static Task<string> OutboxLinkAsync(IPage page, string email) =>
        page.Locator($"[data-test=outbox-invite][data-email='{email}'] input").InputValueAsync();

    /// <summary>Opens an invite link in another browser and creates the account; the new member ends up signed in there.</summary>
    public static async Task AcceptAsync(AppSession app, IPage page, string link, string name, string? screenshot = null)
    {
        await page.GotoAsync(link);
        await page.FillAsync("#name", name);
        await page.FillAsync("#new-password", TeammatePassword);
        await page.FillAsync("#confirm-password", TeammatePassword);
        if (screenshot is not null)
        {
            await app.ScreenshotAsync(screenshot, page);
        }

        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/invite/accept", StringComparison.Ordinal));
    }
}
