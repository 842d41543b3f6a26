using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Junction.Workspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class Protocols : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "protocols_settings",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    EventNamingConvention = table.Column<string>(type: "TEXT", nullable: false),
                    PropertyNamingConvention = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_protocols_settings", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_protocols_settings_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "source_schema_settings",
                columns: table => new
                {
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    TrackAllowUnplannedEvents = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackAllowUnplannedEventProperties = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackAllowEventOnViolations = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackAllowPropertiesOnViolations = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackCommonEventOnViolations = table.Column<string>(type: "TEXT", nullable: false),
                    IdentifyAllowUnplannedTraits = table.Column<bool>(type: "INTEGER", nullable: false),
                    IdentifyAllowTraitsOnViolations = table.Column<bool>(type: "INTEGER", nullable: false),
                    IdentifyCommonEventOnViolations = table.Column<string>(type: "TEXT", nullable: false),
                    GroupAllowUnplannedTraits = table.Column<bool>(type: "INTEGER", nullable: false),
                    GroupAllowTraitsOnViolations = table.Column<bool>(type: "INTEGER", nullable: false),
                    GroupCommonEventOnViolations = table.Column<string>(type: "TEXT", nullable: false),
                    ForwardingBlockedEventsTo = table.Column<string>(type: "TEXT", nullable: true),
                    ForwardingViolationsTo = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_source_schema_settings", x => x.SourceId);
                    table.ForeignKey(
                        name: "FK_source_schema_settings_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_plans",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_plans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tracking_plans_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transformations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    DestinationMetadataId = table.Column<string>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    If = table.Column<string>(type: "TEXT", nullable: false),
                    Drop = table.Column<bool>(type: "INTEGER", nullable: false),
                    NewEventName = table.Column<string>(type: "TEXT", nullable: true),
                    PropertyRenamesJson = table.Column<string>(type: "TEXT", nullable: false),
                    PropertyValueTransformationsJson = table.Column<string>(type: "TEXT", nullable: false),
                    FqlDefinedPropertiesJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transformations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_transformations_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_transformations_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_plan_rule_revisions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    TrackingPlanId = table.Column<string>(type: "TEXT", nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    Change = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousKey = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    JsonSchema = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<string>(type: "TEXT", nullable: false),
                    ActorKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_plan_rule_revisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tracking_plan_rule_revisions_tracking_plans_TrackingPlanId",
                        column: x => x.TrackingPlanId,
                        principalTable: "tracking_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_plan_rules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    TrackingPlanId = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    JsonSchema = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false),
                    DeprecatedAt = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_plan_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tracking_plan_rules_tracking_plans_TrackingPlanId",
                        column: x => x.TrackingPlanId,
                        principalTable: "tracking_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_plan_sources",
                columns: table => new
                {
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    TrackingPlanId = table.Column<string>(type: "TEXT", nullable: false),
                    ConnectedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tracking_plan_sources", x => x.SourceId);
                    table.ForeignKey(
                        name: "FK_tracking_plan_sources_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_tracking_plan_sources_tracking_plans_TrackingPlanId",
                        column: x => x.TrackingPlanId,
                        principalTable: "tracking_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_plan_rule_revisions_TrackingPlanId_RuleId_Revision",
                table: "tracking_plan_rule_revisions",
                columns: new[] { "TrackingPlanId", "RuleId", "Revision" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tracking_plan_rule_revisions_TrackingPlanId_Type_Key",
                table: "tracking_plan_rule_revisions",
                columns: new[] { "TrackingPlanId", "Type", "Key" });

            migrationBuilder.CreateIndex(
                name: "IX_tracking_plan_rules_TrackingPlanId_Type_Key_Version",
                table: "tracking_plan_rules",
                columns: new[] { "TrackingPlanId", "Type", "Key", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tracking_plan_sources_TrackingPlanId",
                table: "tracking_plan_sources",
                column: "TrackingPlanId");

            migrationBuilder.CreateIndex(
                name: "IX_tracking_plans_WorkspaceId_Slug",
                table: "tracking_plans",
                columns: new[] { "WorkspaceId", "Slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_transformations_SourceId",
                table: "transformations",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_transformations_WorkspaceId_SourceId",
                table: "transformations",
                columns: new[] { "WorkspaceId", "SourceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "protocols_settings");

            migrationBuilder.DropTable(
                name: "source_schema_settings");

            migrationBuilder.DropTable(
                name: "tracking_plan_rule_revisions");

            migrationBuilder.DropTable(
                name: "tracking_plan_rules");

            migrationBuilder.DropTable(
                name: "tracking_plan_sources");

            migrationBuilder.DropTable(
                name: "transformations");

            migrationBuilder.DropTable(
                name: "tracking_plans");
        }
    }
}
