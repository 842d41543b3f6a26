using Junction.Events;
using Junction.Workspace.Access;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Junction.Workspace.Sources;
using Junction.Workspace.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Workspace;

internal static class WorkspaceExtensions
{
    /// <summary>The control plane: its database, the sources snapshot the data plane reads, and their services.</summary>
    public static IServiceCollection AddWorkspace(this IServiceCollection services, string dataDirectory)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "junction.db"),
            Pooling = true,
        }.ToString();
        services.AddDbContextFactory<JunctionDbContext>(options => options.UseSqlite(connectionString));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<JunctionDbContext>>().CreateDbContext());
        services.AddHostedService<WorkspaceBootstrapService>();
        services.AddSingleton<SourceDirectory>();
        services.AddSingleton<ISourceLookup>(sp => sp.GetRequiredService<SourceDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<SourceDirectory>());
        services.AddSingleton<IProcessingGate>(sp => sp.GetRequiredService<SourceDirectory>());
        services.AddScoped<SourceService>();
        services.AddScoped<AccessService>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<WorkspaceService>();
        return services;
    }
}
