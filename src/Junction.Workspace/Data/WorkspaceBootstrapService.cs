using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Junction.Workspace.Data;

/// <summary>Runs <see cref="WorkspaceBootstrap"/> at start-up, before the services that read the database.</summary>
internal sealed class WorkspaceBootstrapService(IDbContextFactory<JunctionDbContext> contexts, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await WorkspaceBootstrap.EnsureReadyAsync(db, time, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
