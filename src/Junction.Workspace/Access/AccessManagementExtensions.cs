using Junction.Workspace.Groups;
using Junction.Workspace.Labels;
using Junction.Workspace.Members;
using Junction.Workspace.Tokens;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Access;

internal static class AccessManagementExtensions
{
    /// <summary>
    /// Access management's services, for the Public API and the web app alike: permissions, labels, members, user
    /// groups and Public API tokens.
    /// </summary>
    public static IServiceCollection AddAccessManagement(this IServiceCollection services)
    {
        services.AddScoped<PermissionService>();
        services.AddScoped<LabelService>();
        services.AddScoped<MemberService>();
        services.AddScoped<UserGroupService>();
        services.AddScoped<TokenService>();
        return services;
    }

    /// <summary>Access management in the Public API: labels, users, roles and user groups (tokens have no Public API routes).</summary>
    public static RouteGroupBuilder MapAccessManagementApi(this RouteGroupBuilder api) =>
        api.MapLabelsApi().MapUsersApi().MapGroupsApi();
}
