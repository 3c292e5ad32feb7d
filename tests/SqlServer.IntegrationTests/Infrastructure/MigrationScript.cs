using System.Text.RegularExpressions;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

/// <summary>
/// The SQL Server idempotent migration script, generated in process exactly as
/// <c>dotnet ef migrations script --idempotent --context SqlServerHubDbContext</c> does for the DBA artifact: no
/// server is needed (the connection string is never opened).
/// </summary>
public static partial class MigrationScript
{
    public const string OfflineConnectionString = "Server=offline.invalid;Database=IntegrationHub;User Id=offline;Password=offline;TrustServerCertificate=True";

    public static SqlServerHubDbContext CreateContext(string connectionString = OfflineConnectionString) =>
        new(new DbContextOptionsBuilder<SqlServerHubDbContext>().UseSqlServer(connectionString).Options);

    public static string GenerateIdempotent()
    {
        using var db = CreateContext();
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }

    public static IReadOnlyList<string> MigrationIds()
    {
        using var db = CreateContext();
        return db.Database.GetMigrations().ToList();
    }

    /// <summary>The script's batches, split on <c>GO</c> lines as sqlcmd and SSMS do.</summary>
    public static IReadOnlyList<string> Batches(string script) =>
        GoLine().Split(script).Where(b => !string.IsNullOrWhiteSpace(b)).ToList();

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}
