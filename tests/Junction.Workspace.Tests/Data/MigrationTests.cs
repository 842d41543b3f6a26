using Junction.Testing;
using Junction.Workspace.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task WhenTheDatabaseIsEmptyEveryMigrationIsAppliedAndTheDefaultWorkspaceIsMade()
    {
        using var directory = new TempDirectory();
        await using var db = Open(directory);

        var workspace = await WorkspaceBootstrap.EnsureReadyAsync(db, TimeProvider.System, CancellationToken.None);

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(WorkspaceBootstrap.DefaultWorkspaceSlug, workspace.Slug);
        Assert.Equal(0, await db.Sources.CountAsync());
        Assert.Equal(0, await db.WriteKeys.CountAsync());
        Assert.Equal(0, await db.ApiTokens.CountAsync());
    }

    [Fact]
    public async Task WhenTheBootstrapRunsAgainNothingIsAppliedTwice()
    {
        using var directory = new TempDirectory();
        string firstId;
        await using (var first = Open(directory))
        {
            firstId = (await WorkspaceBootstrap.EnsureReadyAsync(first, TimeProvider.System, CancellationToken.None)).Id;
        }

        await using var second = Open(directory);
        var again = await WorkspaceBootstrap.EnsureReadyAsync(second, TimeProvider.System, CancellationToken.None);

        Assert.Equal(firstId, again.Id);
        Assert.Equal(1, await second.Workspaces.CountAsync());
    }

    [Fact]
    public async Task WhenTheDatabaseIsMigratedItUsesWriteAheadLogging()
    {
        using var directory = new TempDirectory();
        await using var db = Open(directory);
        await WorkspaceBootstrap.EnsureReadyAsync(db, TimeProvider.System, CancellationToken.None);

        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();

        Assert.Equal("wal", mode);
    }

    [Fact]
    public void TheMigrationsMatchTheModel()
    {
        using var directory = new TempDirectory();
        using var db = Open(directory);

        Assert.False(
            db.Database.HasPendingModelChanges(),
            "The model has changed since the last migration: run `dotnet ef migrations add NAME --project src/Junction.Workspace --output-dir Data/Migrations`.");
    }

    private static JunctionDbContext Open(TempDirectory directory)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "junction.db"), Pooling = false };
        return new JunctionDbContext(new DbContextOptionsBuilder<JunctionDbContext>().UseSqlite(connection.ToString()).Options);
    }
}
