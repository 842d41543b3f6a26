using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Data;

/// <summary>Prepares the control-plane database before anything else runs: schema, then a default workspace.</summary>
internal static class WorkspaceBootstrap
{
    public const string DefaultWorkspaceName = "My Workspace";
    public const string DefaultWorkspaceSlug = "my-workspace";

    /// <summary>Brings the schema up to date and creates the default workspace on an empty database.</summary>
    public static async Task<WorkspaceEntity> EnsureReadyAsync(JunctionDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await db.Database.EnsureCreatedAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
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
