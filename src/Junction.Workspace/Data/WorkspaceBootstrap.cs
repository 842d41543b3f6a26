using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Data;

/// <summary>
/// Prepares the control-plane database before anything else runs: applies the EF Core migrations in
/// <c>Data/Migrations</c>, then creates a default workspace on an empty database. It runs at start-up only (the
/// bootstrap hosted service and the <c>tokens create</c> verb), never while handling a request.
/// </summary>
internal static class WorkspaceBootstrap
{
    public const string DefaultWorkspaceName = "My Workspace";
    public const string DefaultWorkspaceSlug = "my-workspace";

    /// <summary>Brings the schema up to date and creates the default workspace on an empty database.</summary>
    public static async Task<WorkspaceEntity> EnsureReadyAsync(JunctionDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        // Several processes may start on one data directory at once (a server and the tokens verb); EF Core takes a
        // migration lock in the database, so only one of them applies a given migration.
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var workspace = await db.Workspaces.OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (workspace is not null)
        {
            return workspace;
        }

        workspace = new WorkspaceEntity
        {
            Id = Ids.New("ws"),
            Name = DefaultWorkspaceName,
            Slug = DefaultWorkspaceSlug,
            CreatedAt = time.GetUtcNow(),
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(cancellationToken);
        return workspace;
    }
}
