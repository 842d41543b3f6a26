using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Labels;
using Junction.Workspace.Tokens;

namespace Junction.Web.Tests.Settings;

/// <summary>The Audit Trail tab's actor filter offers everyone who appears in the trail, users and tokens, revoked ones too.</summary>
public sealed class AuditActorsTests
{
    [Fact]
    public async Task TheActorsOfTheTrailAreItsUsersAndTokensOnceEach()
    {
        await using var workspace = await SettingsWorkspace.StartAsync();
        var owner = workspace.Owner.Principal;
        var created = await workspace.RunAsync<TokenService, Outcome<CreatedToken>>(
            t => t.CreateAsync(owner, "Terraform", [new PermissionInput(Roles.WorkspaceOwnerId, [])], CancellationToken.None));
        var token = new Principal(owner.WorkspaceId, PrincipalType.Token, created.Value!.Token.Id, "Terraform", owner.Grants);
        await workspace.RunAsync<LabelService, Outcome<LabelView>>(l => l.CreateAsync(token, new LabelView("environment", "prod", null), CancellationToken.None));
        await workspace.RunAsync<LabelService, Outcome<LabelView>>(l => l.CreateAsync(token, new LabelView("environment", "dev", null), CancellationToken.None));
        await workspace.RunAsync<TokenService, Outcome<TokenView>>(t => t.RevokeAsync(owner, created.Value.Token.Id, CancellationToken.None));

        var actors = await workspace.RunAsync<AuditQuery, Outcome<IReadOnlyList<Actor>>>(a => a.ActorsAsync(owner, CancellationToken.None));

        Assert.Equal(
            [(ActorKind.User, workspace.Owner.UserId, "olivia@example.test"), (ActorKind.Token, created.Value.Token.Id, "Terraform")],
            actors.Value!.Select(a => (a.Kind, a.Id, a.Name)));
        var member = new Principal(owner.WorkspaceId, PrincipalType.User, "usr_member", "member@example.test", []);
        Assert.Equal(ProblemKind.Forbidden, (await workspace.RunAsync<AuditQuery, Outcome<IReadOnlyList<Actor>>>(
            a => a.ActorsAsync(member, CancellationToken.None))).Problem?.Kind);
    }
}
