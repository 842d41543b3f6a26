using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Junction.Workspace.Invites;
using Junction.Workspace.Tests.Accounts;
using Junction.Workspace.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Junction.Workspace.Tests.Invites;

public sealed class InviteServiceTests
{
    [Fact]
    public async Task PeopleInvitedFromATypedListJoinTheirGroupsWithTheirPermissions()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var workspaceId = await InviteSteps.DefaultWorkspaceIdAsync(server);
        var groupId = await InviteSteps.InScopeAsync(server, async sp =>
        {
            var db = sp.GetRequiredService<JunctionDbContext>();
            var group = new UserGroupEntity { Id = Ids.New("grp"), WorkspaceId = workspaceId, Name = "Analysts", CreatedAt = DateTimeOffset.UtcNow };
            db.UserGroups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        var principal = await InviteSteps.PrincipalAsync(server, workspaceId, owner.Id);
        PermissionInput[] readSources = [new PermissionInput("source-read-only", [])];

        var refused = await Invite(server, principal, "carol@example.test, not-an-email; dave@", readSources, [groupId]);
        Assert.Contains("\"not-an-email\"", refused.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("\"dave@\"", refused.Problem.Message, StringComparison.Ordinal);

        var sent = await Invite(server, principal, "carol@example.test,\n erin@example.test carol@example.test", readSources, [groupId]);
        Assert.Equal(["carol@example.test", "erin@example.test"], sent.Value!.Emails);
        Assert.Empty(sent.Value.NotDelivered);
        var email = await smtp.WaitForMessageToAsync("carol@example.test");
        Assert.Contains("Olive Owner (owner@example.test) invited you", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("7 days", email.TextBody, StringComparison.Ordinal);

        using var browser = new Browser(server.BaseAddress);
        var home = await InviteSteps.AcceptWithNewAccountAsync(browser, AccountSteps.LinkIn(email, "/invite/accept"), "Carol");

        Assert.Equal(AccountSteps.Home, home.Address.AbsolutePath);
        Assert.Contains("Source Read-only", (await browser.OpenAsync("/?all")).Text, StringComparison.Ordinal);
        var carol = (await InviteSteps.UserAsync(server, "carol@example.test"))!;
        var inGroup = await InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<JunctionDbContext>().UserGroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == carol.Id));
        Assert.True(inGroup);
        var groupInvites = await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().UserGroupInvites.CountAsync());
        Assert.Equal(1, groupInvites);
        var audit = await AccountSteps.AuditTextAsync(server);
        Assert.Contains("Invite Sent", audit, StringComparison.Ordinal);
        Assert.Contains("Invite Accepted", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneWithAnAccountJoinsAnotherWorkspaceBySigningIn()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var server = await JunctionTestServer.StartAsync(settings: smtp.Settings);
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var member = await AccountSteps.CreateOwnerAsync(server, "mia@example.test", "mia's own passphrase");
        var second = await InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<WorkspaceService>().CreateAsync(owner.Id, "Second Workspace", null, CancellationToken.None));
        var principal = await InviteSteps.PrincipalAsync(server, second.Value!.Id, owner.Id);

        await Invite(server, principal, "MIA@example.test", [], null);
        var link = AccountSteps.LinkIn(await smtp.WaitForMessageToAsync("mia@example.test"), "/invite/accept");

        using var ownersBrowser = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(ownersBrowser);
        var wrongPerson = await ownersBrowser.OpenAsync(link);
        Assert.Contains("This invite is for MIA@example.test, and you are signed in as owner@example.test", wrongPerson.Text, StringComparison.Ordinal);
        Assert.False(wrongPerson.HasForm("join"));

        using var browser = new Browser(server.BaseAddress);
        var page = await browser.OpenAsync(link);
        Assert.True(page.HasForm("sign-in-and-join"), page.Text);
        var wrong = await browser.SubmitAsync("sign-in-and-join", new Dictionary<string, string> { ["SignInInput.Password"] = "not my passphrase" });
        Assert.Contains("That password is not right.", wrong.Text, StringComparison.Ordinal);
        var home = await browser.SubmitAsync("sign-in-and-join", new Dictionary<string, string> { ["SignInInput.Password"] = "mia's own passphrase" });

        Assert.Equal("/", home.Address.AbsolutePath);
        Assert.Contains("My Workspace", home.Text, StringComparison.Ordinal);
        Assert.Contains("Second Workspace", home.Text, StringComparison.Ordinal);
        var workspaces = await InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<WorkspaceService>().ListForUserAsync(member.Id, CancellationToken.None));
        Assert.Equal(["My Workspace", "Second Workspace"], workspaces.Select(w => w.Name));
        Assert.Equal(["Workspace Member"], workspaces[1].Roles);
    }

    [Fact]
    public async Task ASignedInUserJoinsWithOneClick()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        await AccountSteps.CreateOwnerAsync(server, "mia@example.test", "mia's own passphrase");
        var second = await InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<WorkspaceService>().CreateAsync(owner.Id, "Second Workspace", null, CancellationToken.None));
        await Invite(server, await InviteSteps.PrincipalAsync(server, second.Value!.Id, owner.Id), "mia@example.test", [], null);
        var link = await OutboxLinkAsync(server);
        using var browser = new Browser(server.BaseAddress);
        await AccountSteps.SignInAsync(browser, "mia@example.test", "mia's own passphrase");

        await browser.OpenAsync(link);
        var home = await browser.SubmitAsync("join", new Dictionary<string, string>());

        Assert.Contains("Second Workspace", home.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResendingAnInviteGivesANewLinkAndTheOldOneStopsWorking()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var principal = await InviteSteps.PrincipalAsync(server, await InviteSteps.DefaultWorkspaceIdAsync(server), owner.Id);
        await Invite(server, principal, "fay@example.test", [], null);
        var first = await OutboxLinkAsync(server);

        var resent = await InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<InviteService>().ResendAsync(principal, "fay@example.test", CancellationToken.None));
        var second = await OutboxLinkAsync(server);

        Assert.Null(resent.Problem);
        Assert.NotEqual(first, second);
        using var browser = new Browser(server.BaseAddress);
        Assert.False((await browser.OpenAsync(first)).HasForm("create-account"));
        Assert.Equal(AccountSteps.Home, (await InviteSteps.AcceptWithNewAccountAsync(browser, second, "Fay")).Address.AbsolutePath);
        Assert.Contains("Invite Resent", await AccountSteps.AuditTextAsync(server), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteLinksExpireAfterTheirConfiguredLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await JunctionTestServer.StartAsync(
            settings: [("Invites:LinkLifetime", "00:30:00")],
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var principal = await InviteSteps.PrincipalAsync(server, await InviteSteps.DefaultWorkspaceIdAsync(server), owner.Id);
        await Invite(server, principal, "gus@example.test", [], null);
        var link = await OutboxLinkAsync(server);
        using var browser = new Browser(server.BaseAddress);

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True((await browser.OpenAsync(link)).HasForm("create-account"));
        clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await browser.OpenAsync(link);

        Assert.Contains("This invite has expired", expired.Text, StringComparison.Ordinal);
        Assert.False(expired.HasForm("create-account"));
        var listed = await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<InviteService>().ListPendingAsync(principal, CancellationToken.None));
        Assert.True(Assert.Single(listed.Value!).Expired);
    }

    [Fact]
    public async Task MembersWhoAreNotOwnersCannotInvite()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var workspaceId = await InviteSteps.DefaultWorkspaceIdAsync(server);
        var member = await AccountSteps.CreateOwnerAsync(server, "mia@example.test", "mia's own passphrase");
        await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().Permissions
            .Where(p => p.PrincipalId == member.Id).ExecuteDeleteAsync());
        var principal = await InviteSteps.PrincipalAsync(server, workspaceId, member.Id);

        var outcome = await Invite(server, principal, "hal@example.test", [], null);

        Assert.Equal(ProblemKind.Forbidden, outcome.Problem!.Kind);
        Assert.NotNull(owner);
    }

    private static Task<Outcome<InvitesSent>> Invite(
        JunctionTestServer server, Principal principal, string emails, IReadOnlyList<PermissionInput> permissions, IReadOnlyList<string>? groups) =>
        InviteSteps.InScopeAsync(server, sp =>
            sp.GetRequiredService<InviteService>().CreateFromTextAsync(principal, emails, permissions, groups, CancellationToken.None));

    /// <summary>The invite link of the newest message in the outbox.</summary>
    private static async Task<string> OutboxLinkAsync(JunctionTestServer server)
    {
        var messages = await server.Services.GetRequiredService<Junction.Workspace.Email.Outbox>().ListAsync(CancellationToken.None);
        return AccountSteps.LinkIn(messages[0].Text, "/invite/accept");
    }
}
