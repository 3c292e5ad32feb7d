using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;

namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>Hangfire's SQL Server storage lives in the hub database, in its own schema.</summary>
public static class HangfireSchema
{
    public const string Name = "hangfire";

    /// <summary>
    /// Creates or upgrades the schema with Hangfire's own installer (idempotent, serialised by an application lock),
    /// including the migrations Hangfire only runs on request, so runtime logins need no DDL rights.
    /// </summary>
    public static async Task InstallAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        SqlServerObjectsInstaller.Install(connection, Name, enableHeavyMigrations: true);
    }
}
