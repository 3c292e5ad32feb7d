using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without the app or a database.</summary>
internal sealed class SqliteHubDbContextFactory : IDesignTimeDbContextFactory<SqliteHubDbContext>
{
    public SqliteHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server (no connection is opened).</summary>
internal sealed class SqlServerHubDbContextFactory : IDesignTimeDbContextFactory<SqlServerHubDbContext>
{
    public SqlServerHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerHubDbContext>()
            .UseSqlServer("Server=localhost;Database=IntegrationHub;Integrated Security=false;TrustServerCertificate=true")
            .Options);
}
