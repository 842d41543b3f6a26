using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace.Audit;

internal static class AuditExtensions
{
    /// <summary>Reading the audit trail and deleting entries past <c>Audit:Retention</c>. Call after <c>AddWorkspace</c>.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection("Audit"))
            .Validate(o => o.Retention >= TimeSpan.FromHours(1), "Audit:Retention must be at least one hour (for example 90.00:00:00).")
            .ValidateOnStart();
        services.AddScoped<AuditQuery>();
        services.AddSingleton<AuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        return services;
    }
}
