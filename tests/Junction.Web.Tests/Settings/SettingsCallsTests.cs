using Junction.Web.Settings;
using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Accounts;
using Junction.Workspace.Data;
using Junction.Workspace.Tokens;
using Junction.Workspace.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// Settings act as the user is now, not as they were when the tab opened: someone whose access was taken away meanwhile
/// is refused, though the page still holds the principal it started with.
/// </summary>
public sealed class SettingsCallsTests
{
    [Fact]
    public async Task AnActionIsDecidedWithTheUsersAccessAsItIsNowNotAsTheTabRemembersIt()
    {
        await using var workspace = await SettingsWorkspace.StartAsync();
        var scoped = new Scoped(workspace.Server.Services.GetRequiredService<IServiceScopeFactory>());
        var memberId = await workspace.RunAsync<JunctionDbContext, string>(async db =>
        {
            var user = AccountService.NewUser("sam@example.test", "Sam", "a long member passphrase", DateTimeOffset.UtcNow);
            db.Users.Add(user);
            Membership.AddMember(db, workspace.Owner.Workspace.Id, user.Id, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return user.Id;
        });

        var asOwner = await scoped.AsUserAsync<TokenService, IReadOnlyList<TokenView>>(
            workspace.Owner, (t, caller) => t.ListAsync(caller, CancellationToken.None));
        Assert.Null(asOwner.Problem);

        // A tab opened while the user was an owner: its context still holds the owner's principal.
        var demoted = workspace.Owner with { UserId = memberId };
        var refused = await scoped.AsUserAsync<TokenService, IReadOnlyList<TokenView>>(
            demoted, (t, caller) => t.ListAsync(caller, CancellationToken.None));
        Assert.Equal(ProblemKind.Forbidden, refused.Problem?.Kind);

        var gone = workspace.Owner with { UserId = "usr_removed" };
        var notMember = await scoped.AsUserAsync<TokenService, IReadOnlyList<TokenView>>(
            gone, (t, caller) => t.ListAsync(caller, CancellationToken.None));
        Assert.Equal("You are no longer a member of this workspace.", notMember.Problem?.Message);
    }
}
