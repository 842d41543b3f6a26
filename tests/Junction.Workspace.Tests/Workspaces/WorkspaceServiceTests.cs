using Junction.Testing;
using Junction.Workspace.Data;
using Junction.Workspace.Tests.Accounts;
using Junction.Workspace.Tests.Invites;
using Junction.Workspace.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Workspaces;

public sealed class WorkspaceServiceTests
{
    [Fact]
    public async Task TheCreatorOfAWorkspaceIsItsOwnerAndSeesItInTheirList()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);

        var created = await Service(server, s => s.CreateAsync(owner.Id, "Acme Inc. (EU)", null, CancellationToken.None));
        var again = await Service(server, s => s.CreateAsync(owner.Id, "Acme Inc. (EU)", null, CancellationToken.None));

        Assert.Equal("acme-inc-eu", created.Value!.Slug);
        Assert.Equal("acme-inc-eu-2", again.Value!.Slug);
        var principal = await InviteSteps.PrincipalAsync(server, created.Value.Id, owner.Id);
        Assert.True(principal.IsOwner);
        var list = await Service(server, s => s.ListForUserAsync(owner.Id, CancellationToken.None));
        Assert.Equal(["Acme Inc. (EU)", "Acme Inc. (EU)", "My Workspace"], list.Select(w => w.Name));
        Assert.All(list, w => Assert.Equal(["Workspace Owner"], w.Roles));
        Assert.Contains("Workspace Created", await AccountSteps.AuditTextAsync(server), StringComparison.Ordinal);
        var taken = await Service(server, s => s.CreateAsync(owner.Id, "Other", "acme-inc-eu", CancellationToken.None));
        Assert.Equal(ProblemKind.Conflict, taken.Problem!.Kind);
    }

    [Fact]
    public async Task RenamingAndChangingTheSlugAreCheckedAndAudited()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var other = await Service(server, s => s.CreateAsync(owner.Id, "Other", "other", CancellationToken.None));
        var principal = await InviteSteps.PrincipalAsync(server, await InviteSteps.DefaultWorkspaceIdAsync(server), owner.Id);

        var renamed = await Service(server, s => s.RenameAsync(principal, "  Production  ", CancellationToken.None));
        var badSlug = await Service(server, s => s.ChangeSlugAsync(principal, "Not A Slug!", CancellationToken.None));
        var takenSlug = await Service(server, s => s.ChangeSlugAsync(principal, other.Value!.Slug, CancellationToken.None));
        var emptyName = await Service(server, s => s.RenameAsync(principal, " ", CancellationToken.None));
        var newSlug = await Service(server, s => s.UpdateSettingsAsync(principal, null, "production", CancellationToken.None));

        Assert.Equal("Production", renamed.Value!.Name);
        Assert.Equal(("slug", ProblemKind.Invalid), (badSlug.Problem!.Field, badSlug.Problem.Kind));
        Assert.Equal(ProblemKind.Conflict, takenSlug.Problem!.Kind);
        Assert.Equal("name", emptyName.Problem!.Field);
        Assert.Equal(("Production", "production"), (newSlug.Value!.Name, newSlug.Value.Slug));
        var changes = await InviteSteps.InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().AuditEvents
            .Where(a => a.Type == "Workspace Settings Changed").OrderBy(a => a.Timestamp).ToListAsync());
        Assert.Equal(2, changes.Count);
        Assert.Contains("my-workspace", changes[1].BeforeJson, StringComparison.Ordinal);
        Assert.Contains("\"production\"", changes[1].AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAWorkspaceNeedsAnOwnerWhoTypesItsExactName()
    {
        await using var server = await JunctionTestServer.StartAsync();
        var owner = await AccountSteps.CreateOwnerAsync(server);
        var doomed = await Service(server, s => s.CreateAsync(owner.Id, "Scratch Pad", null, CancellationToken.None));
        var member = await AccountSteps.CreateOwnerAsync(server, "mia@example.test", "mia's own passphrase");
        await InviteSteps.InScopeAsync(server, async sp =>
        {
            var db = sp.GetRequiredService<JunctionDbContext>();
            Membership.AddMember(db, doomed.Value!.Id, member.Id, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        var ownerPrincipal = await InviteSteps.PrincipalAsync(server, doomed.Value!.Id, owner.Id);
        var memberPrincipal = await InviteSteps.PrincipalAsync(server, doomed.Value.Id, member.Id);

        var notOwner = await Service(server, s => s.DeleteAsync(memberPrincipal, "Scratch Pad", CancellationToken.None));
        var wrongName = await Service(server, s => s.DeleteAsync(ownerPrincipal, "scratch pad", CancellationToken.None));
        var deleted = await Service(server, s => s.DeleteAsync(ownerPrincipal, "Scratch Pad", CancellationToken.None));

        Assert.Equal(ProblemKind.Forbidden, notOwner.Problem!.Kind);
        Assert.Equal(("confirmation", ProblemKind.Invalid), (wrongName.Problem!.Field, wrongName.Problem.Kind));
        Assert.Null(deleted.Problem);
        var remaining = await Service(server, s => s.ListForUserAsync(owner.Id, CancellationToken.None));
        Assert.Equal(["My Workspace"], remaining.Select(w => w.Name));
    }

    private static Task<T> Service<T>(JunctionTestServer server, Func<WorkspaceService, Task<T>> action) =>
        InviteSteps.InScopeAsync(server, sp => action(sp.GetRequiredService<WorkspaceService>()));
}
