using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AlloyErrorWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IntegrationErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExecutionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    WorkflowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AlloyUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BlockName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    BlockType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Environment = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RawPayload = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntegrationErrors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlloyAccounts_Environment_UserId",
                table: "AlloyAccounts",
                columns: new[] { "Environment", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationErrors_Environment_ExecutionId",
                table: "IntegrationErrors",
                columns: new[] { "Environment", "ExecutionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationErrors_TenantId_Id",
                table: "IntegrationErrors",
                columns: new[] { "TenantId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationErrors_WorkflowId_Id",
                table: "IntegrationErrors",
                columns: new[] { "WorkflowId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IntegrationErrors");

            migrationBuilder.DropIndex(
                name: "IX_AlloyAccounts_Environment_UserId",
                table: "AlloyAccounts");
        }
    }
}
