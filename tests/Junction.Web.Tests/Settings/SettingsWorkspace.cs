using Junction.Testing;
using Junction.Web.Shared;
using Junction.Workspace.Access;
using Junction.Workspace.Accounts;
using Junction.Workspace.Audit;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Junction.Web.Tests.Settings;

/// <summary>
/// A whole Junction in the test process with a Workspace Owner, for rendering a settings tab against the real
/// services: the tab gets the owner's <see cref="WorkspaceContext"/> and the server's <see cref="Scoped"/>.
/// </summary>
internal sealed class SettingsWorkspace : IAsyncDisposable
{
    private SettingsWorkspace(JunctionTestServer server, WorkspaceContext owner)
    {
        Server = server;
        Owner = owner;
    }

    public JunctionTestServer Server { get; }

    public WorkspaceContext Owner { get; }

    public static async Task<SettingsWorkspace> StartAsync()
    {
        var server = await JunctionTestServer.StartAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<JunctionDbContext>();
        var owner = await FirstOwnerSetup.CreateOwnerAsync(
            db, services.GetRequiredService<AuditTrail>(), services.GetRequiredService<TimeProvider>(),
            "olivia@example.test", "Olivia Owner", "a long owner passphrase", CancellationToken.None);
        var workspace = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstAsync();
        var principal = await services.GetRequiredService<AccessService>().ForUserAsync(workspace.Id, owner.Value!.Id, CancellationToken.None);
        return new SettingsWorkspace(server, new WorkspaceContext(workspace, principal!, owner.Value.Id));
    }

    /// <summary>Gives a bUnit context the server's services the settings pages use.</summary>
    public void Serve(SettingsComponents ui)
    {
        ui.Context.Services.AddSingleton(new Scoped(Server.Services.GetRequiredService<IServiceScopeFactory>()));
        ui.Context.Services.AddSingleton(Server.Services.GetRequiredService<TimeProvider>());
    }

    /// <summary>Runs an operation with a service of the server, in its own scope.</summary>
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation)
        where TService : notnull
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
