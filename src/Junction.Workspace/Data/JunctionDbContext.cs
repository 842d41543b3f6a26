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

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<WorkspaceMemberEntity> WorkspaceMembers => Set<WorkspaceMemberEntity>();

    public DbSet<PermissionEntity> Permissions => Set<PermissionEntity>();

    public DbSet<UserGroupEntity> UserGroups => Set<UserGroupEntity>();

    public DbSet<UserGroupMemberEntity> UserGroupMembers => Set<UserGroupMemberEntity>();

    public DbSet<UserGroupInviteEntity> UserGroupInvites => Set<UserGroupInviteEntity>();

    public DbSet<InviteEntity> Invites => Set<InviteEntity>();

    public DbSet<PasswordResetEntity> PasswordResets => Set<PasswordResetEntity>();

    public DbSet<SetupTokenEntity> SetupTokens => Set<SetupTokenEntity>();

    public DbSet<LabelEntity> Labels => Set<LabelEntity>();

    public DbSet<SourceLabelEntity> SourceLabels => Set<SourceLabelEntity>();

    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();

    public DbSet<DestinationEntity> Destinations => Set<DestinationEntity>();

    public DbSet<DestinationSubscriptionEntity> DestinationSubscriptions => Set<DestinationSubscriptionEntity>();

    public DbSet<DestinationFilterEntity> DestinationFilters => Set<DestinationFilterEntity>();

    public DbSet<WarehouseEntity> Warehouses => Set<WarehouseEntity>();

    public DbSet<WarehouseSourceEntity> WarehouseSources => Set<WarehouseSourceEntity>();

    public DbSet<WarehouseSelectiveSyncEntity> WarehouseSelectiveSyncs => Set<WarehouseSelectiveSyncEntity>();

    public DbSet<TrackingPlanEntity> TrackingPlans => Set<TrackingPlanEntity>();

    public DbSet<TrackingPlanRuleEntity> TrackingPlanRules => Set<TrackingPlanRuleEntity>();

    public DbSet<TrackingPlanRuleRevisionEntity> TrackingPlanRuleRevisions => Set<TrackingPlanRuleRevisionEntity>();

    public DbSet<TrackingPlanSourceEntity> TrackingPlanSources => Set<TrackingPlanSourceEntity>();

    public DbSet<SourceSchemaSettingsEntity> SourceSchemaSettings => Set<SourceSchemaSettingsEntity>();

    public DbSet<TransformationEntity> Transformations => Set<TransformationEntity>();

    public DbSet<ProtocolsSettingsEntity> ProtocolsSettings => Set<ProtocolsSettingsEntity>();

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
        modelBuilder.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
        });
        modelBuilder.Entity<WorkspaceMemberEntity>(e =>
        {
            e.ToTable("workspace_members");
            e.HasKey(m => new { m.WorkspaceId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<UserEntity>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PermissionEntity>(e =>
        {
            e.ToTable("permissions");
            e.HasKey(p => p.Id);
            e.Property(p => p.PrincipalKind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(p => new { p.WorkspaceId, p.PrincipalKind, p.PrincipalId });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Resources).WithOne().HasForeignKey(r => r.PermissionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Labels).WithOne().HasForeignKey(l => l.PermissionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PermissionResourceEntity>(e =>
        {
            e.ToTable("permission_resources");
            e.HasKey(r => new { r.PermissionId, r.Type, r.ResourceId });
            e.HasIndex(r => r.ResourceId);
        });
        modelBuilder.Entity<PermissionLabelEntity>(e =>
        {
            e.ToTable("permission_labels");
            e.HasKey(l => new { l.PermissionId, l.Key, l.Value });
        });
        modelBuilder.Entity<UserGroupEntity>(e =>
        {
            e.ToTable("user_groups");
            e.HasKey(g => g.Id);
            e.HasIndex(g => new { g.WorkspaceId, g.Name }).IsUnique();
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(g => g.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UserGroupMemberEntity>(e =>
        {
            e.ToTable("user_group_members");
            e.HasKey(m => new { m.GroupId, m.UserId });
            e.HasOne<UserGroupEntity>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<UserEntity>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UserGroupInviteEntity>(e =>
        {
            e.ToTable("user_group_invites");
            e.HasKey(m => new { m.GroupId, m.InviteId });
            e.HasOne<UserGroupEntity>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<InviteEntity>().WithMany().HasForeignKey(m => m.InviteId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<InviteEntity>(e =>
        {
            e.ToTable("invites");
            e.HasKey(i => i.Id);
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => new { i.WorkspaceId, i.NormalizedEmail });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PasswordResetEntity>(e =>
        {
            e.ToTable("password_resets");
            e.HasKey(r => r.Id);
            e.HasIndex(r => r.TokenHash).IsUnique();
            e.HasOne<UserEntity>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SetupTokenEntity>(e =>
        {
            e.ToTable("setup_tokens");
            e.HasKey(t => t.TokenHash);
        });
        modelBuilder.Entity<LabelEntity>(e =>
        {
            e.ToTable("labels");
            e.HasKey(l => new { l.WorkspaceId, l.Key, l.Value });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SourceLabelEntity>(e =>
        {
            e.ToTable("source_labels");
            e.HasKey(l => new { l.SourceId, l.Key });
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(l => l.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AuditEventEntity>(e =>
        {
            e.ToTable("audit_events");
            e.HasKey(a => a.Id);
            e.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(a => new { a.WorkspaceId, a.Timestamp });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DestinationEntity>(e =>
        {
            e.ToTable("destinations");
            e.HasKey(d => d.Id);
            e.HasIndex(d => new { d.WorkspaceId, d.SourceId });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(d => d.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DestinationSubscriptionEntity>(e =>
        {
            e.ToTable("destination_subscriptions");
            e.HasKey(s => s.Id);
            e.HasIndex(s => s.DestinationId);
            e.HasOne<DestinationEntity>().WithMany().HasForeignKey(s => s.DestinationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DestinationFilterEntity>(e =>
        {
            e.ToTable("destination_filters");
            e.HasKey(f => f.Id);
            e.HasIndex(f => f.DestinationId);
            e.HasOne<DestinationEntity>().WithMany().HasForeignKey(f => f.DestinationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WarehouseEntity>(e =>
        {
            e.ToTable("warehouses");
            e.HasKey(w => w.Id);
            e.HasIndex(w => w.WorkspaceId);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(w => w.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WarehouseSourceEntity>(e =>
        {
            e.ToTable("warehouse_sources");
            e.HasKey(c => new { c.WarehouseId, c.SourceId });
            e.HasIndex(c => c.SourceId);
            e.HasOne<WarehouseEntity>().WithMany().HasForeignKey(c => c.WarehouseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(c => c.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WarehouseSelectiveSyncEntity>(e =>
        {
            e.ToTable("warehouse_selective_syncs");
            e.HasKey(s => s.Id);
            e.HasIndex(s => new { s.WarehouseId, s.SourceId });
            e.HasOne<WarehouseSourceEntity>().WithMany()
                .HasForeignKey(s => new { s.WarehouseId, s.SourceId })
                .OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TrackingPlanEntity>(e =>
        {
            e.ToTable("tracking_plans");
            e.HasKey(p => p.Id);
            e.HasIndex(p => new { p.WorkspaceId, p.Slug }).IsUnique();
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TrackingPlanRuleEntity>(e =>
        {
            e.ToTable("tracking_plan_rules");
            e.HasKey(r => r.Id);
            e.HasIndex(r => new { r.TrackingPlanId, r.Type, r.Key, r.Version }).IsUnique();
            e.HasOne<TrackingPlanEntity>().WithMany().HasForeignKey(r => r.TrackingPlanId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TrackingPlanRuleRevisionEntity>(e =>
        {
            e.ToTable("tracking_plan_rule_revisions");
            e.HasKey(r => r.Id);
            e.Property(r => r.ActorKind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(r => new { r.TrackingPlanId, r.RuleId, r.Revision }).IsUnique();
            e.HasIndex(r => new { r.TrackingPlanId, r.Type, r.Key });
            e.HasOne<TrackingPlanEntity>().WithMany().HasForeignKey(r => r.TrackingPlanId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TrackingPlanSourceEntity>(e =>
        {
            e.ToTable("tracking_plan_sources");
            e.HasKey(c => c.SourceId);
            e.HasIndex(c => c.TrackingPlanId);
            e.HasOne<TrackingPlanEntity>().WithMany().HasForeignKey(c => c.TrackingPlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(c => c.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SourceSchemaSettingsEntity>(e =>
        {
            e.ToTable("source_schema_settings");
            e.HasKey(s => s.SourceId);
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<TransformationEntity>(e =>
        {
            e.ToTable("transformations");
            e.HasKey(t => t.Id);
            e.HasIndex(t => new { t.WorkspaceId, t.SourceId });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SourceEntity>().WithMany().HasForeignKey(t => t.SourceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ProtocolsSettingsEntity>(e =>
        {
            e.ToTable("protocols_settings");
            e.HasKey(s => s.WorkspaceId);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as ISO-8601 text so that ordering and comparison work the same on SQLite and PostgreSQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToIsoStringConverter>();
    }
}
