using Junction.Workspace;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;

namespace Junction.Testing;

/// <summary>Writes control-plane rows straight into a data directory's database, for tests that run the server as a separate process.</summary>
public static class ControlPlaneSeed
{
    /// <summary>Creates (or migrates) the database, then a source with one write key; answers its id and write key.</summary>
    public static async Task<(string SourceId, string WriteKey)> CreateSourceAsync(string dataDirectory, string slug = "seeded")
    {
        Directory.CreateDirectory(dataDirectory);
        var options = new DbContextOptionsBuilder<JunctionDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "junction.db")}")
            .Options;
        await using var db = new JunctionDbContext(options);
        var workspace = await WorkspaceBootstrap.EnsureReadyAsync(db, TimeProvider.System, CancellationToken.None);
        var source = new SourceEntity
        {
            Id = Ids.New("src"),
            WorkspaceId = workspace.Id,
            Slug = slug,
            Name = slug,
            CatalogId = "IqDTy1TpoU",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var writeKey = Ids.Random(32);
        source.WriteKeys.Add(new WriteKeyEntity { Key = writeKey, SourceId = source.Id, CreatedAt = DateTimeOffset.UtcNow });
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return (source.Id, writeKey);
    }
}
