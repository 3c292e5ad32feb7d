using IntegrationHub.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Keeps SQLite's query-planner statistics current: <c>ANALYZE</c> once the database is initialized, then every
/// <see cref="DatabaseOptions.AnalyzeInterval"/>. Without statistics SQLite guesses, and for the admin listings it guessed
/// an index on <c>Environment</c> plus a sort of the whole table over a scan in id order (120 ms instead of 0.1 ms a page
/// at 100,000 installations, bench/ P5). Statistics taken when the tables were nearly empty are as bad: after a large
/// intake the sync's per-tenant lookups scanned the whole installation table (26 s instead of 1.8 s at 10,000 tenants).
/// So between the full runs, every <see cref="DatabaseOptions.OptimizeInterval"/> and soon after a use case reports
/// many written rows (<see cref="IQueryPlannerStatistics"/>), <c>PRAGMA optimize</c> re-analyzes the tables whose row
/// count changed a lot (cheap when none did), exactly: a sampled analysis (<c>analysis_limit</c>) extrapolates a
/// column that holds one value in every row as selective, and the admin listing then sorted the whole table per page. SQL Server maintains its
/// statistics itself; this does nothing there.
/// </summary>
public sealed partial class SqliteStatistics(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<SqliteStatistics> logger)
    : BackgroundService, IQueryPlannerStatistics
{
    /// <summary>Written rows that make a use case's report worth an immediate <c>PRAGMA optimize</c>.</summary>
    public const int ManyRows = 1000;

    private readonly SemaphoreSlim _nudge = new(0, 1);
    private int _pendingRows;

    public void RowsWritten(int rows)
    {
        if (Interlocked.Add(ref _pendingRows, rows) < ManyRows || _nudge.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already asked for.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Provider != DatabaseProvider.Sqlite || settings.AnalyzeInterval <= TimeSpan.Zero)
        {
            return;
        }

        var nextAnalyze = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var analyze = time.GetUtcNow() >= nextAnalyze;
            Interlocked.Exchange(ref _pendingRows, 0);
            await RefreshAsync(analyze, stoppingToken);
            if (analyze)
            {
                nextAnalyze = time.GetUtcNow() + settings.AnalyzeInterval;
            }

            var untilAnalyze = nextAnalyze - time.GetUtcNow();
            var wait = settings.OptimizeInterval > TimeSpan.Zero && settings.OptimizeInterval < untilAnalyze ? settings.OptimizeInterval : untilAnalyze;
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            using var timeout = new CancellationTokenSource(wait, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
            try
            {
                await _nudge.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The interval passed without a report.
            }
        }
    }

    private async Task RefreshAsync(bool analyze, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var started = time.GetTimestamp();
            // 0x10002: check every table (not only those this connection queried) and analyze those that need it.
            await db.Database.ExecuteSqlRawAsync(analyze ? "ANALYZE;" : "PRAGMA analysis_limit=0; PRAGMA optimize=0x10002;", stoppingToken);
            LogRefreshed(logger, analyze ? "ANALYZE" : "PRAGMA optimize", time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A busy or not yet migrated database: statistics are an optimization, the next run tries again.
            LogFailed(logger, ex);
        }
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed SQLite planner statistics ({Statement}) in {ElapsedMs:0.0} ms")]
    private static partial void LogRefreshed(ILogger logger, string statement, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh SQLite planner statistics; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
