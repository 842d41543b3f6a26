using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Junction.Workspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class Warehouses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "warehouses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    SyncIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ScheduleEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    ScheduleHours = table.Column<string>(type: "TEXT", nullable: true),
                    ScheduleTimeZone = table.Column<string>(type: "TEXT", nullable: true),
                    SchemaFrozen = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warehouses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_warehouses_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "warehouse_sources",
                columns: table => new
                {
                    WarehouseId = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    ConnectedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warehouse_sources", x => new { x.WarehouseId, x.SourceId });
                    table.ForeignKey(
                        name: "FK_warehouse_sources_sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_warehouse_sources_warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "warehouse_selective_syncs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WarehouseId = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", nullable: false),
                    Collection = table.Column<string>(type: "TEXT", nullable: false),
                    Property = table.Column<string>(type: "TEXT", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warehouse_selective_syncs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_warehouse_selective_syncs_warehouse_sources_WarehouseId_SourceId",
                        columns: x => new { x.WarehouseId, x.SourceId },
                        principalTable: "warehouse_sources",
                        principalColumns: new[] { "WarehouseId", "SourceId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_warehouse_selective_syncs_WarehouseId_SourceId",
                table: "warehouse_selective_syncs",
                columns: new[] { "WarehouseId", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_warehouse_sources_SourceId",
                table: "warehouse_sources",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_warehouses_WorkspaceId",
                table: "warehouses",
                column: "WorkspaceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "warehouse_selective_syncs");

            migrationBuilder.DropTable(
                name: "warehouse_sources");

            migrationBuilder.DropTable(
                name: "warehouses");
        }
    }
}
