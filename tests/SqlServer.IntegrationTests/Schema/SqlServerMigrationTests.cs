using IntegrationHub.Scenarios;
using IntegrationHub.SqlServer.IntegrationTests.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.SqlServer.IntegrationTests.Schema;

/// <summary>The two ways a SQL Server database gets its schema, on a real server: the DBA's script and the migrate command.</summary>
public sealed class SqlServerMigrationTests(SqlServerFixture sql)
{
    private const string TablesQuery =
        "SELECT STRING_AGG(CONCAT(SCHEMA_NAME(schema_id), '.', name), ',') WITHIN GROUP (ORDER BY SCHEMA_NAME(schema_id), name) FROM sys.tables WHERE SCHEMA_NAME(schema_id) = 'dbo'";

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public async Task IdempotentScript_WhenRunTwiceOnAnEmptyDatabase_ShouldBuildTheSameSchemaAsMigrate()
    {
        // Arrange
        var database = "ScriptCheck" + Guid.NewGuid().ToString("N")[..8];
        await sql.CreateDatabaseAsync(database);
        var batches = MigrationScript.Batches(MigrationScript.GenerateIdempotent());

        // Act: as a DBA would, batch by batch, and once more (a re-run must change nothing).
        for (var run = 0; run < 2; run++)
        {
            await using var connection = new SqlConnection(sql.ConnectionStringFor(database));
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            foreach (var batch in batches)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = batch;
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
        }

        // Assert
        await using var db = MigrationScript.CreateContext(sql.ConnectionStringFor(database));
        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBe(MigrationScript.MigrationIds());
        (await sql.ScalarAsync<string>(database, TablesQuery)).ShouldBe(await sql.ScalarAsync<string>(SqlServerFixture.HubDatabase, TablesQuery));
    }

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public async Task MigrateCommand_WhenRunTwiceAgainstSqlServer_ShouldCreateTheDatabaseSchemaAndHangfireSchema()
    {
        // Arrange: the database does not exist yet; `migrate` creates it, as docker-compose's one-shot service does.
        var database = "MigrateCheck" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = "SqlServer",
            ["ConnectionStrings__Hub"] = sql.ConnectionStringFor(database),
            ["Hangfire__Storage"] = "SqlServer",
        };

        // Act
        var exitCodes = new List<int>();
        for (var run = 0; run < 2; run++)
        {
            await using var migrate = HubProcess.StartCommand($"migrate-{run}", environment, "migrate");
            exitCodes.Add(await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));
            migrate.Output.ShouldContain("migrate: SqlServer database is up to date");
        }

        // Assert
        exitCodes.ShouldBe([0, 0]);
        (await sql.ScalarAsync<int>(database, "SELECT COUNT(*) FROM [__EFMigrationsHistory]")).ShouldBe(MigrationScript.MigrationIds().Count);
        (await sql.ScalarAsync<int>(database, "SELECT COUNT(*) FROM sys.tables WHERE SCHEMA_NAME(schema_id) = 'hangfire'")).ShouldBeGreaterThan(5);
    }
}
