using System.Buffers.Text;
using System.Text.Json;
using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Tests.Accounts;
using Junction.Workspace.Tests.PublicApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Invites;

public sealed class InvitesApiTests
{
    [Fact]
    public async Task TwoPeopleInvitedThroughThePublicApiJoinByEmailWithTheInvitedPermissions()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        var (sourceId, _) = await server.CreateSourceAsync("web");
        using var api = await server.CreateApiClientAsync();

        using var created = await api.PostJsonAsync("invites", $$"""
            {"invites": [
              {"email": "ada@example.test", "permissions": [{"roleId": "source-admin", "resources": [{"id": "{{sourceId}}", "type": "SOURCE"}]}]},
              {"email": "Bob@Example.test"}
            ]}
            """);
        var data = await created.ReadDataAsync(201);
        Assert.Equal(["ada@example.test", "Bob@Example.test"], data.GetProperty("emails").Strings());

        var pending = await (await api.GetAsync("invites?pagination%5Bcount%5D=10")).ReadDataAsync();
        Assert.Equal(["ada@example.test", "Bob@Example.test"], pending.GetProperty("invites").Strings());
        Assert.Equal(2, pending.GetProperty("pagination").GetProperty("totalEntries").GetInt32());

        var adaEmail = await smtp.WaitForMessageToAsync("ada@example.test");
        Assert.Contains("My Workspace", adaEmail.Subject, StringComparison.Ordinal);
        var adaLink = AccountSteps.LinkIn(adaEmail, "/invite/accept");
        Assert.True(Base64Url.DecodeFromChars(AccountSteps.TokenOf(adaLink)).Length >= 16, "an invite token carries at least 128 bits");
        var bobLink = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("Bob@Example.test"), "/invite/accept");

        using var adaBrowser = new Browser(server.BaseAddress);
        var adaHome = await InviteSteps.AcceptWithNewAccountAsync(adaBrowser, adaLink, "Ada");
        using var bobBrowser = new Browser(server.BaseAddress);
        var bobHome = await InviteSteps.AcceptWithNewAccountAsync(bobBrowser, bobLink, "Bob");

        Assert.Equal(AccountSteps.Home, adaHome.Address.AbsolutePath);
        Assert.Equal(AccountSteps.Home, bobHome.Address.AbsolutePath);
        var adaWorkspaces = await adaBrowser.OpenAsync("/?all");
        Assert.Contains("My Workspace", adaWorkspaces.Text, StringComparison.Ordinal);
        Assert.Contains("Source Admin", adaWorkspaces.Text, StringComparison.Ordinal);
        Assert.Contains("Workspace Member", (await bobBrowser.OpenAsync("/?all")).Text, StringComparison.Ordinal);

        var ada = (await InviteSteps.UserAsync(server, "ada@example.test"))!;
        var permission = Assert.Single(await InviteSteps.PermissionsAsync(server, PrincipalKind.User, ada.Id));
        Assert.Equal("source-admin", permission.RoleId);
        Assert.Equal(("SOURCE", sourceId), (permission.Resources.Single().Type, permission.Resources.Single().ResourceId));
        var bob = (await InviteSteps.UserAsync(server, "bob@example.test"))!;
        Assert.Equal("Bob@Example.test", bob.Email);
        var memberCount = await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().WorkspaceMembers.CountAsync());
        Assert.Equal(2, memberCount);
        var principal = await InviteSteps.PrincipalAsync(server, await InviteSteps.DefaultWorkspaceIdAsync(server), ada.Id);
        Assert.True(principal.Can(AccessLevel.Write, ResourceKind.Source, sourceId));
        Assert.False(principal.IsOwner);

        Assert.Empty((await (await api.GetAsync("invites")).ReadDataAsync()).GetProperty("invites").EnumerateArray());
        Assert.Contains("accepted already", (await new Browser(server.BaseAddress).OpenAsync(adaLink)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingAnInviteThroughThePublicApiStopsItsLink()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        using var api = await server.CreateApiClientAsync();
        (await api.PostJsonAsync("invites", """{"invites":[{"email":"carl@example.test"},{"email":"dina@example.test"}]}""")).EnsureSuccessStatusCode();
        var link = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("carl@example.test"), "/invite/accept");

        using var revoked = await api.DeleteAsync("invites?emails%5B0%5D=carl%40example.test");

        Assert.Equal("SUCCESS", (await revoked.ReadDataAsync()).GetProperty("status").GetString());
        Assert.Equal(["dina@example.test"], (await (await api.GetAsync("invites")).ReadDataAsync()).GetProperty("invites").Strings());
        using var browser = new Browser(server.BaseAddress);
        var page = await browser.OpenAsync(link);
        Assert.Contains("withdrawn", page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("create-account"));
        var missing = await (await api.DeleteAsync("invites?emails%5B0%5D=carl%40example.test")).ReadErrorAsync(404);
        Assert.Contains("carl@example.test", missing.GetProperty("message").GetString(), StringComparison.Ordinal);
        await (await api.DeleteAsync("invites")).ReadErrorAsync(422);
    }

    [Fact]
    public async Task InvitingTheSameAddressAgainReplacesTheEarlierLink()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        using var api = await server.CreateApiClientAsync();

        (await api.PostJsonAsync("invites", """{"invites":[{"email":"erin@example.test"}]}""")).EnsureSuccessStatusCode();
        var first = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("erin@example.test"), "/invite/accept");
        (await api.PostJsonAsync("invites", """{"invites":[{"email":"ERIN@example.test","permissions":[{"roleId":"source-read-only"}]}]}""")).EnsureSuccessStatusCode();
        var second = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("ERIN@example.test"), "/invite/accept");

        Assert.Single((await (await api.GetAsync("invites")).ReadDataAsync()).GetProperty("invites").EnumerateArray());
        using var browser = new Browser(server.BaseAddress);
        Assert.False((await browser.OpenAsync(first)).HasForm("create-account"));
        await InviteSteps.AcceptWithNewAccountAsync(browser, second, "Erin");
        var erin = (await InviteSteps.UserAsync(server, "erin@example.test"))!;
        Assert.Equal("source-read-only", Assert.Single(await InviteSteps.PermissionsAsync(server, PrincipalKind.User, erin.Id)).RoleId);
    }

    [Fact]
    public async Task OnlyWorkspaceOwnersManageInvites()
    {
        await using var server = await JunctionTestServer.StartAsync();
        using var reader = await server.CreateApiClientWithRoleAsync("source-read-only");

        foreach (var response in new[]
        {
            await reader.PostJsonAsync("invites", """{"invites":[{"email":"x@example.test"}]}"""),
            await reader.GetAsync("invites"),
            await reader.DeleteAsync("invites?emails%5B0%5D=x%40example.test"),
        })
        {
            var error = await response.ReadErrorAsync(403);
            Assert.Contains("Workspace Owner", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().Invites.ToListAsync()));
    }

    [Fact]
    public async Task BadInvitesAreRefusedNamingTheField()
    {
        await using var server = await JunctionTestServer.StartAsync();
        await AccountSteps.CreateOwnerAsync(server);
        using var api = await server.CreateApiClientAsync();

        var badEmail = await (await api.PostJsonAsync("invites", """{"invites":[{"email":"ok@example.test"},{"email":"not an email"}]}""")).ReadErrorAsync(422);
        Assert.Equal("invites[1].email", badEmail.GetProperty("field").GetString());
        var badRole = await (await api.PostJsonAsync("invites", """{"invites":[{"email":"ok@example.test","permissions":[{"roleId":"king"}]}]}""")).ReadErrorAsync(422);
        Assert.Contains("king", badRole.GetProperty("message").GetString(), StringComparison.Ordinal);
        var member = await (await api.PostJsonAsync("invites", $$"""{"invites":[{"email":"{{AccountSteps.OwnerEmail}}"}]}""")).ReadErrorAsync(409);
        Assert.Contains("member of this workspace already", member.GetProperty("message").GetString(), StringComparison.Ordinal);
        await (await api.PostJsonAsync("invites", """{"invites":[]}""")).ReadErrorAsync(422);
        await (await api.PostJsonAsync("invites", """{"nothing":true}""")).ReadErrorAsync(422);

        Assert.Empty((await (await api.GetAsync("invites")).ReadDataAsync()).GetProperty("invites").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, (await (await api.GetAsync("invites")).ReadDataAsync()).GetProperty("invites").ValueKind);
    }
}
