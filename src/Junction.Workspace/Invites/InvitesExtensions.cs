using Junction.Workspace.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Junction.Workspace.Invites;

internal static class InvitesExtensions
{
    public static IServiceCollection AddInvites(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InvitesOptions>()
            .Bind(configuration.GetSection(InvitesOptions.Section))
            .Validate(o => o.LinkLifetime >= TimeSpan.FromMinutes(5) && o.LinkLifetime <= TimeSpan.FromDays(90),
                "Invites:LinkLifetime must be from 5 minutes to 90 days (for example 7.00:00:00).")
            .ValidateOnStart();
        services.TryAddScoped<PermissionService>();
        services.AddScoped<InviteService>();
        services.AddScoped<InviteOutbox>();
        return services;
    }
}
