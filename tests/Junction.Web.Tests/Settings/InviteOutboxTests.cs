using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Data;
using Junction.Workspace.Email;
using Junction.Workspace.Invites;
using Junction.Workspace.Workspaces;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// The outbox links Access Management shows without a mail server: the current links of the workspace's pending
/// invites, and nothing else the outbox holds.
/// </summary>
public sealed class InviteOutboxTests
{
    [Fact]
    public async Task AnOwnerSeesTheCurrentLinksOfTheirWorkspacesPendingInvitesAndNothingElse()
    {
        await using var workspace = await SettingsWorkspace.StartAsync();
        var owner = workspace.Owner.Principal;
        var second = await workspace.RunAsync<WorkspaceService, Outcome<WorkspaceEntity>>(
            w => w.CreateAsync(workspace.Owner.UserId, "Second Workspace", null, CancellationToken.None));
        var secondOwner = (await workspace.RunAsync<AccessService, Principal?>(
            a => a.ForUserAsync(second.Value!.Id, workspace.Owner.UserId, CancellationToken.None)))!;
        await InviteAsync(workspace, owner, "ada@example.test");
        await InviteAsync(workspace, secondOwner, "carl@example.test");
        await workspace.RunAsync<PasswordResetService, bool>(async r =>
        {
            await r.RequestAsync("olivia@example.test", CancellationToken.None);
            return true;
        });
        Assert.Equal(3, (await workspace.RunAsync<Outbox, IReadOnlyList<OutboxMessage>>(o => o.ListAsync(CancellationToken.None))).Count);

        var first = Assert.Single(await LinksAsync(workspace, owner));
        Assert.Equal("ada@example.test", first.Email);
        Assert.Contains("/invite/accept?token=", first.Link, StringComparison.Ordinal);
        Assert.Equal(["carl@example.test"], (await LinksAsync(workspace, secondOwner)).Select(l => l.Email));

        await workspace.RunAsync<InviteService, Outcome<PendingInvite>>(i => i.ResendAsync(owner, "ada@example.test", CancellationToken.None));
        var resent = Assert.Single(await LinksAsync(workspace, owner));
        Assert.NotEqual(first.Link, resent.Link);

        await workspace.RunAsync<InviteService, Outcome<IReadOnlyList<string>>>(i => i.RevokeAsync(owner, ["ada@example.test"], CancellationToken.None));
        Assert.Empty(await LinksAsync(workspace, owner));
    }

    [Fact]
    public async Task OnlyWorkspaceOwnersMayReadTheOutbox()
    {
        await using var workspace = await SettingsWorkspace.StartAsync();
        await InviteAsync(workspace, workspace.Owner.Principal, "ada@example.test");
        var member = new Principal(workspace.Owner.Workspace.Id, PrincipalType.User, "usr_member", "member@example.test", []);

        var refused = await workspace.RunAsync<InviteOutbox, Outcome<IReadOnlyList<OutboxInvite>>>(o => o.ListAsync(member, CancellationToken.None));

        Assert.Equal(ProblemKind.Forbidden, refused.Problem?.Kind);
    }

    private static async Task InviteAsync(SettingsWorkspace workspace, Principal caller, string email)
    {
        var sent = await workspace.RunAsync<InviteService, Outcome<InvitesSent>>(
            i => i.CreateAsync(caller, [new NewInvite(email, [])], CancellationToken.None));
        Assert.Null(sent.Problem);
    }

    private static async Task<IReadOnlyList<OutboxInvite>> LinksAsync(SettingsWorkspace workspace, Principal caller)
    {
        var links = await workspace.RunAsync<InviteOutbox, Outcome<IReadOnlyList<OutboxInvite>>>(o => o.ListAsync(caller, CancellationToken.None));
        Assert.Null(links.Problem);
        return links.Value!;
    }
}
