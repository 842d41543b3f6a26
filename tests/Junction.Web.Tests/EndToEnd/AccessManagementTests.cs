using Junction.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>The seed flow "Invite Teammates", in Chromium: the owner invites, a teammate accepts, the owner sees them.</summary>
public sealed class AccessManagementTests
{
    [Fact]
    public async Task TheOwnerInvitesTwoTeammatesAndOneAcceptsFromTheOutboxLink()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync(AccessSteps.AccessPath(app));
        await Expect(page.Locator("[data-test=member]")).ToHaveCountAsync(1);
        await app.ScreenshotAsync("settings-access");

        await AccessSteps.InviteAsync(app, "ada@example.test, ben@example.test", role: "Source Read-only", screenshot: "settings-invite-dialog");

        var invites = page.Locator("[data-test=invite]");
        await Expect(invites).ToHaveCountAsync(2);
        await Expect(invites.Nth(0)).ToContainTextAsync("ada@example.test");
        await Expect(invites.Nth(1)).ToContainTextAsync("ben@example.test");
        await Expect(page.Locator("[data-test=no-smtp]")).ToContainTextAsync("Email:Host");
        await app.ScreenshotAsync("settings-access-pending");
        var link = await AccessSteps.OutboxLinkAsync(page, "ada@example.test");
        Assert.Contains("/invite/accept?token=", link, StringComparison.Ordinal);

        await using var teammates = await Chromium.LaunchAsync();
        var ada = await teammates.NewPageAsync();
        await AccessSteps.AcceptAsync(app, ada, link, "Ada Lovelace", screenshot: "invite-accept");
        await ada.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.EndsWith($"/w/{app.WorkspaceSlug}/connections", ada.Url, StringComparison.Ordinal);

        await app.GoAsync(AccessSteps.AccessPath(app));
        var member = page.Locator("[data-test=member][data-email='ada@example.test']");
        await Expect(member).ToContainTextAsync("Ada Lovelace");
        await Expect(member).ToContainTextAsync("Source Read-only · all sources");
        await Expect(page.Locator("[data-test=invite]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-test=invite]")).ToContainTextAsync("ben@example.test");
        await Expect(page.Locator("[data-test=outbox-invite]")).ToHaveCountAsync(1);
        await app.ScreenshotAsync("settings-access-members");
    }

    [Fact]
    public async Task ATeammateWithSourceReadOnlyOnOneSourceSeesThatSourceOnlyAndChangesNothing()
    {
        await using var app = await AppSession.StartAsync();
        var (webId, webKey) = await app.Server.CreateSourceAsync("web-site");
        var (iosId, _) = await app.Server.CreateSourceAsync("ios-app");
        var page = app.Page;
        await app.GoAsync(AccessSteps.AccessPath(app));
        await AccessSteps.InviteAsync(app, "sam@example.test");
        await using var teammates = await Chromium.LaunchAsync();
        var sam = await teammates.NewPageAsync();
        sam.SetDefaultTimeout(20_000);
        await AccessSteps.AcceptAsync(app, sam, await AccessSteps.OutboxLinkAsync(page, "sam@example.test"), "Sam Reader");

        await app.GoAsync(AccessSteps.AccessPath(app));
        var member = page.Locator("[data-test=member][data-email='sam@example.test']");
        await Expect(member).ToContainTextAsync("Workspace Member");
        await member.Locator("[data-test=edit-access]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var permission = await AccessSteps.GiveRoleAsync(page, dialog, "Source Read-only");
        await permission.GetByText("Specific sources").ClickAsync();
        await permission.GetByText("web-site").ClickAsync();
        await app.ScreenshotAsync("settings-member-access");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(member).ToContainTextAsync("Source Read-only · web-site");

        // Connections lists only the source Sam may read, and offers no Add Source.
        await app.GoAsync($"/w/{app.WorkspaceSlug}/connections", sam);
        await Expect(sam.Locator("[data-test=source-row]")).ToHaveCountAsync(1);
        await Expect(sam.Locator("[data-test=source-row]")).ToContainTextAsync("web-site");
        await Expect(sam.Locator("[data-test=add-source]")).ToHaveCountAsync(0);
        await app.ScreenshotAsync("teammate-connections", sam);

        // Its Setup tab shows the install instructions without the write key.
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{webId}/setup", sam);
        await Expect(sam.Locator("[data-test=write-keys-hidden]")).ToBeVisibleAsync();
        await Expect(sam.Locator("[data-test=write-key]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(webKey, await sam.ContentAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync("teammate-source-setup", sam);

        // Its Settings tab says it is read-only and has none of the actions.
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{webId}/settings", sam);
        await Expect(sam.Locator("[data-test=settings-read-only]")).ToBeVisibleAsync();
        foreach (var action in new[] { "rename", "add-label", "add-write-key", "revoke", "delete" })
        {
            await Expect(sam.Locator($"[data-test={action}]")).ToHaveCountAsync(0);
        }

        Assert.DoesNotContain(webKey, await sam.ContentAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync("teammate-source-settings", sam);

        // Access Management is for Workspace Owners only.
        await app.GoAsync(AccessSteps.AccessPath(app), sam);
        await Expect(sam.Locator("[data-test=owners-only]")).ToBeVisibleAsync();
        await Expect(sam.Locator("[data-test=members]")).ToHaveCountAsync(0);
        await Expect(sam.GetByRole(AriaRole.Button, new() { Name = "Invite Team Member" })).ToHaveCountAsync(0);
        await Expect(sam.GetByRole(AriaRole.Navigation, new() { Name = "Settings pages" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["Roles"]);
        await app.ScreenshotAsync("teammate-settings", sam);

        // The other source looks like one that does not exist.
        await app.GoAsync($"/w/{app.WorkspaceSlug}/sources/{iosId}/overview", sam);
        await Expect(sam.Locator("h1")).ToHaveTextAsync("Source not found");
        await app.ScreenshotAsync("teammate-source-not-found", sam);
    }
}
