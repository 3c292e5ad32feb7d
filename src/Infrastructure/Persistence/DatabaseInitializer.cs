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

        // Nothing pending (every restart of a deployed hub): MigrateAsync is skipped. It would take the migrations lock
        // and compare the model with the migrations' snapshot (a model build and a diff: about 0.4 s of a start
        // on the way to the first answer, docs/adr/0012-performance.md) only to apply nothing. Whenever a migration is
        // pending, as on every fresh database the tests create, MigrateAsync runs with all its checks.
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }

        // Hangfire tries its own install when its storage is first resolved, which is before this runs: on a server
        // where the database did not exist yet, that attempt failed (with a warning) and only this one succeeds.
        if (hangfire.Value.Storage == JobStorageKind.SqlServer && db.Database.IsSqlServer())
        {
            await HangfireSchema.InstallAsync(configuration.GetConnectionString("Hub")!, cancellationToken);
            logger.LogInformation("Hangfire schema {Schema} is installed and up to date", HangfireSchema.Name);
        }
    }
}

/// <summary>
/// Initializes the database before any other hosted service (job server, reconciler) starts. When the database (or
/// the folder of a SQLite file) is unavailable at start, the host does not stop: it starts serving, reports the
/// reason through <see cref="DatabaseReadiness"/> (<c>/health/ready</c> answers 503), and tries again every
/// <c>Database:StartupRetryInterval</c> in the background until it succeeds. Any other failure (a migration that
/// fails on a reachable database, a configuration error) still stops the host: retrying would not fix it.
/// </summary>
public sealed partial class DatabaseInitializerHostedService(
    DatabaseInitializer initializer,
    DatabaseReadiness readiness,
    IOptions<DatabaseOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseInitializerHostedService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;
    private bool _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryInitializeAsync(attempt: 1, cancellationToken))
        {
            return;
        }

        _retries = RetryAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return; // a second stop, after the host disposed its services
        }

        await _stopping.CancelAsync();
        try
        {
            await _retries.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the retries end with the host.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }

    private async Task RetryAsync(CancellationToken stoppingToken)
    {
        try
        {
            for (var attempt = 2; ; attempt++)
            {
                await Task.Delay(options.Value.StartupRetryInterval, time, stoppingToken);
                if (await TryInitializeAsync(attempt, stoppingToken))
                {
                    LogRecovered(logger, attempt);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is back but the work itself fails (a migration): as at start, the host stops with an error.
            readiness.MarkUnavailable($"Database initialization failed ({ex.GetType().Name}); the hub is stopping");
            LogFailed(logger, ex);
            lifetime.StopApplication();
        }
    }

    private async Task<bool> TryInitializeAsync(int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await initializer.InitializeAsync(cancellationToken);
            readiness.MarkReady();
            return true;
        }
        catch (Exception ex) when (IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            var reason = $"Database unavailable at start ({ex.GetType().Name}); retrying every {options.Value.StartupRetryInterval}";
            readiness.MarkUnavailable(reason);
            if (attempt == 1)
            {
                LogUnavailable(logger, options.Value.StartupRetryInterval, ex);
            }
            else
            {
                LogStillUnavailable(logger, attempt, ex.GetType().Name);
            }

            return false;
        }
    }

    /// <summary>The database cannot serve right now, or the SQLite file's folder cannot be created or opened yet.</summary>
    private static bool IsUnavailable(Exception exception) =>
        DatabaseFailures.IsUnavailable(exception) || exception is IOException or UnauthorizedAccessException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable at start; the hub serves, reports not ready and tries again every {RetryInterval}")]
    private static partial void LogUnavailable(ILogger logger, TimeSpan retryInterval, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database still unavailable (attempt {Attempt}: {ExceptionType})")]
    private static partial void LogStillUnavailable(ILogger logger, int attempt, string exceptionType);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database initialization failed after the database became available; stopping the hub")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database initialized at attempt {Attempt}; the hub is ready")]
    private static partial void LogRecovered(ILogger logger, int attempt);
}
