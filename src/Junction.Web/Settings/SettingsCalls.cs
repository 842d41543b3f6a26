using Junction.Web.Shared;
using Junction.Workspace;
using Junction.Workspace.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Settings;

/// <summary>
/// Runs a settings operation as the signed-in user is now. The workspace page resolves the user's access once, when
/// the tab opens, and a tab can stay open for hours; settings are where access itself changes, so each operation reads
/// the user's permissions again in its own scope before the service decides (an owner demoted in another tab cannot
/// keep managing access from this one).
/// </summary>
internal static class SettingsCalls
{
    public static Task<Outcome<T>> AsUserAsync<TService, T>(
        this Scoped scoped, WorkspaceContext workspace, Func<TService, Principal, Task<Outcome<T>>> operation)
        where TService : notnull
        where T : class =>
        scoped.RunAsync<IServiceProvider, Outcome<T>>(async services =>
        {
            var principal = await services.GetRequiredService<AccessService>()
                .ForUserAsync(workspace.Workspace.Id, workspace.UserId, CancellationToken.None);
            return principal is null
                ? Problem.Forbidden("You are no longer a member of this workspace.")
                : await operation(services.GetRequiredService<TService>(), principal);
        });
}
