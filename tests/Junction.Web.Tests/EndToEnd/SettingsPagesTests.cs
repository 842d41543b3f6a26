using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Junction.Web.Tests.EndToEnd;

/// <summary>The tabs of Settings in Chromium, as a Workspace Owner uses them.</summary>
public sealed class SettingsPagesTests
{
    [Fact]
    public async Task SettingsOpensOnGeneralAndEveryTabHasItsOwnAddress()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;

        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings");

        Assert.EndsWith($"/w/{app.WorkspaceSlug}/settings/general", page.Url, StringComparison.Ordinal);
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("My Workspace");
        await app.ScreenshotAsync("settings-general");
        var tabs = page.GetByRole(AriaRole.Navigation, new() { Name = "Settings pages" });
        foreach (var (label, tab) in new[] { ("Roles", "roles"), ("Labels", "labels"), ("Audit Trail", "audit"), ("API Tokens", "tokens"), ("User Groups", "groups"), ("Access Management", "access") })
        {
            await tabs.GetByRole(AriaRole.Link, new() { Name = label, Exact = true }).ClickAsync();
            await page.WaitForURLAsync($"**/settings/{tab}");
            await Expect(tabs.Locator("[aria-current=page]")).ToHaveTextAsync(label);
        }

        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/roles");
        await Expect(page.Locator("[data-test=role][data-role=source-read-only]")).ToContainTextAsync("All sources, specific ones, or those with labels");
        await Expect(page.Locator("[data-test=role][data-role=workspace-owner]")).ToContainTextAsync("The whole workspace");
        await app.ScreenshotAsync("settings-roles");
    }

    [Fact]
    public async Task LabelsAreCreatedOnTheirTabAndOfferedAsAScopeOfSourceRoles()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/labels");
        await Expect(page.Locator("[data-test=no-labels]")).ToBeVisibleAsync();

        await page.GetByLabel("Key").FillAsync("1st");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("prod");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(page.GetByText("This must start with a letter")).ToBeVisibleAsync();
        await page.GetByLabel("Key").FillAsync("environment");
        await page.GetByLabel("Description (optional)").FillAsync("Live traffic");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(page.Locator("[data-test=label][data-label='environment:prod']")).ToContainTextAsync("Live traffic");
        await app.ScreenshotAsync("settings-labels");

        await app.GoAsync(AccessSteps.AccessPath(app));
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite Team Member" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var permission = await AccessSteps.GiveRoleAsync(page, dialog, "Source Admin");
        await permission.GetByText("Sources with labels").ClickAsync();
        await permission.GetByText("environment:prod").ClickAsync();
        await Expect(permission.Locator("[data-test=labels-and]")).ToContainTextAsync("every label chosen here (AND)");
        await Expect(permission.Locator("[data-test=labels-cover]")).ToHaveTextAsync("No source carries all of them yet.");
        await app.ScreenshotAsync("settings-permission-labels");
    }

    [Fact]
    public async Task AGroupGetsRolesAndAPersonInvitedIntoItWaitsThereUntilTheyAccept()
    {
        await using var app = await AppSession.StartAsync();
        await app.Server.CreateSourceAsync("web-site");
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/groups");
        await Expect(page.Locator("[data-test=no-groups]")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create user group" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Name of the group").FillAsync("Analysts");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await page.WaitForURLAsync("**/settings/groups/grp_*");
        await Expect(page.Locator("[data-test=group-name]")).ToHaveTextAsync("Analysts");

        await page.GetByRole(AriaRole.Button, new() { Name = "Change roles" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var permission = await AccessSteps.GiveRoleAsync(page, dialog, "Source Read-only");
        await permission.GetByText("Specific sources").ClickAsync();
        await permission.GetByText("web-site").ClickAsync();
        await app.ScreenshotAsync("settings-group-roles");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("[data-test=permission-chip]")).ToHaveTextAsync("Source Read-only · web-site");

        await app.GoAsync(AccessSteps.AccessPath(app));
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite Team Member" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email addresses").FillAsync("gus@example.test");
        await dialog.GetByText("Analysts").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-test=invite]")).ToHaveCountAsync(1);

        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/groups");
        await Expect(page.Locator("[data-test=group][data-name=Analysts]")).ToContainTextAsync("Source Read-only · web-site");
        await app.ScreenshotAsync("settings-groups");
        await page.GetByRole(AriaRole.Link, new() { Name = "Analysts" }).ClickAsync();
        await Expect(page.Locator("[data-test=group-invite][data-email='gus@example.test']")).ToContainTextAsync("Invite Pending");
        await app.ScreenshotAsync("settings-group");
    }

    [Fact]
    public async Task ANewTokensSecretIsShownOnceAndTheListShowsWhenItWasLastUsed()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Description").FillAsync("Nightly export");
        await AccessSteps.GiveRoleAsync(page, dialog, "Source Read-only");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await dialog.Locator(".jn-secret input").InputValueAsync();
        Assert.StartsWith("jct_", secret, StringComparison.Ordinal);
        await Expect(dialog).ToContainTextAsync("you will not see it again");
        await app.ScreenshotAsync("settings-token-secret");

        using var api = new HttpClient { BaseAddress = app.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.True((await api.GetAsync("api/sources")).IsSuccessStatusCode);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();

        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/tokens");
        var row = page.Locator("[data-test=token][data-description='Nightly export']");
        await Expect(row).ToContainTextAsync("Source Read-only · all sources");
        await Expect(row).ToContainTextAsync("just now");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await app.ScreenshotAsync("settings-tokens");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke the token Nightly export" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("[data-test=no-tokens]")).ToBeVisibleAsync();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("api/sources")).StatusCode);
    }

    [Fact]
    public async Task TheAuditTrailListsWhatHappenedAndFiltersItByType()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync(AccessSteps.AccessPath(app));
        await AccessSteps.InviteAsync(app, "ada@example.test, ben@example.test");
        await page.Locator("[data-test=invite][data-email='ben@example.test'] [data-test=revoke-invite]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("[data-test=invite]")).ToHaveCountAsync(1);

        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/audit");
        await Expect(page.Locator("[data-test=audit-entry]").First).ToContainTextAsync("Invite Revoked");
        var all = await page.Locator("[data-test=audit-entry]").CountAsync();
        Assert.True(all >= 4, $"{all} entries");
        await page.Locator("[data-test=audit-entry]").First.GetByRole(AriaRole.Button, new() { Name = "Show the change" }).ClickAsync();
        await Expect(page.Locator(".jn-before-after")).ToContainTextAsync("ben@example.test");
        await app.ScreenshotAsync("settings-audit");

        await AccessSteps.ChooseAsync(page, page.Locator("[data-test=audit-filters] .mud-select").First, "Invite Sent");

        await Expect(page.Locator("[data-test=audit-entry]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-test=audit-count]")).ToHaveTextAsync("1–2 of 2");
        await page.Locator("[data-test=audit-entry]").First.Locator("[data-test=audit-resource-filter]").ClickAsync();
        await Expect(page.Locator("[data-test=audit-entry]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task RenamingTheWorkspaceMovesItsPagesAndDeletingItNeedsItsName()
    {
        await using var app = await AppSession.StartAsync();
        var page = app.Page;
        await app.GoAsync($"/w/{app.WorkspaceSlug}/settings/general");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Acme Analytics");
        await page.GetByLabel("Slug").FillAsync("acme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await page.WaitForURLAsync("**/w/acme/settings/general");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Acme Analytics");
        var delete = page.GetByRole(AriaRole.Button, new() { Name = "Delete the workspace" });
        await page.GetByLabel("Type Acme Analytics to confirm").FillAsync("Acme");
        await Expect(delete).ToBeDisabledAsync();
        await page.GetByLabel("Type Acme Analytics to confirm").FillAsync("Acme Analytics");
        await app.ScreenshotAsync("settings-general-delete");
        await delete.ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.GetByText("You are not a member of any workspace")).ToBeVisibleAsync();
    }
}
