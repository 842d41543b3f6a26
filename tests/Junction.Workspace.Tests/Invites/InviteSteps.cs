using Junction.Testing;
using Junction.Workspace.Access;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Tests.Invites;

/// <summary>Steps of the invite tests: accept through the page, look at what a user was given.</summary>
internal static class InviteSteps
{
    public const string NewPassword = "a passphrase for the new member";

    /// <summary>Opens an invite link in a fresh browser and creates the account; answers the page landed on.</summary>
    public static async Task<Browser.Page> AcceptWithNewAccountAsync(Browser browser, string link, string name)
    {
        var page = await browser.OpenAsync(link);
        Assert.True(page.HasForm("create-account"), "The invite page offers to create the account: " + page.Text);
        return await browser.SubmitAsync("create-account", new Dictionary<string, string>
        {
            ["NewAccountInput.Name"] = name,
            ["NewAccountInput.Password"] = NewPassword,
            ["NewAccountInput.ConfirmPassword"] = NewPassword,
        });
    }

    public static Task<UserEntity?> UserAsync(JunctionTestServer server, string email) =>
        InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));

    public static Task<List<PermissionEntity>> PermissionsAsync(JunctionTestServer server, PrincipalKind kind, string principalId) =>
        InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().Permissions.AsNoTracking()
            .Where(p => p.PrincipalKind == kind && p.PrincipalId == principalId)
            .Include(p => p.Resources)
            .Include(p => p.Labels)
            .ToListAsync());

    public static Task<string> DefaultWorkspaceIdAsync(JunctionTestServer server) =>
        InScopeAsync(server, sp => sp.GetRequiredService<JunctionDbContext>().Workspaces.OrderBy(w => w.CreatedAt).Select(w => w.Id).FirstAsync());

    public static async Task<Principal> PrincipalAsync(JunctionTestServer server, string workspaceId, string userId) =>
        (await InScopeAsync(server, sp => sp.GetRequiredService<AccessService>().ForUserAsync(workspaceId, userId, CancellationToken.None)))!;

    public static async Task<T> InScopeAsync<T>(JunctionTestServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
