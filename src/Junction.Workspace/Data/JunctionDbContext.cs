using Microsoft.EntityFrameworkCore;

namespace Junction.Workspace.Data;

/// <summary>
/// The control plane's database: SQLite in a single-machine install. The model avoids provider-specific types
/// (strings, booleans, <see cref="DateTimeOffset"/> stored as text by a converter) so PostgreSQL can follow.
/// </summary>
internal sealed class JunctionDbContext(DbContextOptions<JunctionDbContext> options) : DbContext(options)
{
    public DbSet<WorkspaceEntity> Workspaces => Set<WorkspaceEntity>();

    public DbSet<SourceEntity> Sources => Set<SourceEntity>();

    public DbSet<WriteKeyEntity> WriteKeys => Set<WriteKeyEntity>();

    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkspaceEntity>(e =>
        {
            e.ToTable("workspaces");
            e.HasKey(w => w.Id);
            e.HasIndex(w => w.Slug).IsUnique();
        });
        modelBuilder.Entity<SourceEntity>(e =>
        {
            e.ToTable("sources");
            e.HasKey(s => s.Id);
            e.HasIndex(s => new { s.WorkspaceId, s.Slug }).IsUnique();
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(s => s.WriteKeys).WithOne().HasForeignKey(k => k.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WriteKeyEntity>(e =>
        {
            e.ToTable("write_keys");
            e.HasKey(k => k.Key);
        });
        modelBuilder.Entity<ApiTokenEntity>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(t => t.Id);
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as ISO-8601 text so that ordering and comparison work the same on SQLite and PostgreSQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToIsoStringConverter>();
    }
}
