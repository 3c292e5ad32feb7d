using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Section <c>Database</c>; the connection string is <c>ConnectionStrings:Hub</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// How long the hub waits before trying its start-up database work again when the database (or its folder) is
    /// unavailable at start; meanwhile it serves, and <c>/health/ready</c> answers 503.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan StartupRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite: how long a statement waits for a locked database before failing (then the API answers 503); also the
    /// command timeout, since Microsoft.Data.Sqlite retries a busy database until its command timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SQLite: how often the query planner's statistics are refreshed (<c>ANALYZE</c>), starting at start-up; zero turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan AnalyzeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// SQLite: how often <c>PRAGMA optimize</c> runs between the full <c>ANALYZE</c>s (it re-analyzes only tables whose
    /// row count changed a lot, so a large intake does not leave the planner on start-up statistics for an hour; a
    /// sync that wrote many rows asks for one at once); zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OptimizeInterval { get; set; } = TimeSpan.FromMinutes(1);
}
