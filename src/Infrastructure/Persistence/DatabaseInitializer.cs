using IntegrationHub.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Applies migrations (when configured) and turns on WAL mode for SQLite; with SQL Server job storage, also creates or
/// upgrades Hangfire's schema (after the migrations, which may just have created the database).
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IOptions<HangfireOptions> hangfire,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken, bool force = false)
    {
        if (!options.Value.MigrateOnStartup && !force)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        if (db.Database.IsSqlite())
        {
            var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && !dataSource.Contains(":memory:", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(folder);
            }

            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, pending);
        }

        await db.Database.MigrateAsync(cancellationToken);

        // Hangfire tries its own install when its storage is first resolved, which is before this runs: on a server
        // where the database did not exist yet, that attempt failed (with a warning) and only this one succeeds.
        if (hangfire.Value.Storage == JobStorageKind.SqlServer && db.Database.IsSqlServer())
        {
            await HangfireSchema.InstallAsync(configuration.GetConnectionString("Hub")!, cancellationToken);
            logger.LogInformation("Hangfire schema {Schema} is installed and up to date", HangfireSchema.Name);
        }
    }
}

/// <summary>Initializes the database before any other hosted service (job server, reconciler) starts.</summary>
public sealed class DatabaseInitializerHostedService(DatabaseInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
