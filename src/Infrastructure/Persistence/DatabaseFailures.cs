using Hangfire.Storage;
using IntegrationHub.Application.Common.Errors;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Tells a database that cannot serve right now (busy, locked, unreachable, throttled, out of retries) from every other
/// failure, by the exception's type and the provider's error code, never by its message. The answer is
/// "retry later" (503) only for these; a constraint violation, a bad statement or a timeout of something else is a bug
/// or another dependency's failure and must not be reported as the database being down.
/// </summary>
public static class DatabaseFailures
{
    // SQLite result codes (primary code, the low byte): https://www.sqlite.org/rescode.html
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;
    private const int SqliteProtocol = 15;

    /// <summary>
    /// SQL Server errors that mean "not now" rather than "wrong": the client's timeout (-2), connection failures and
    /// broken transport (-1, 2, 53, 64, 121, 233, 10053, 10054, 10060, 11001), deadlock victim (1205), the database
    /// not reachable or starting up (4060, 4221, 40613, 942), and Azure SQL's throttling and failover (10928, 10929,
    /// 40143, 40197, 40501, 40540, 40544, 40549, 40550, 40551, 40552, 40553, 49918, 49919, 49920).
    /// </summary>
    private static readonly HashSet<int> SqlServerUnavailable =
    [
        -2, -1, 2, 53, 64, 121, 233, 10053, 10054, 10060, 11001, 1205, 4060, 4221, 40613, 942,
        10928, 10929, 40143, 40197, 40501, 40540, 40544, 40549, 40550, 40551, 40552, 40553, 49918, 49919, 49920,
    ];

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) says the database cannot serve right now.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // EF Core's execution strategy retried transient failures (SQL Server) and gave up.
                case RetryLimitExceededException:
                // The audit buffer stayed full: the database does not keep up with its writes.
                case AuditBacklogException:
                // Hangfire's storage (the database, or its in-memory stand-in) did not grant a lock in time.
                case DistributedLockTimeoutException:
                    return true;
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull or SqliteCannotOpen or SqliteProtocol:
                    return true;
                case SqlException sql when IsUnavailable(sql):
                    return true;
            }
        }

        return false;
    }

    private static bool IsUnavailable(SqlException exception)
    {
        // Severity 20 and above: a fatal error that closed the connection.
        if (exception.Class >= 20)
        {
            return true;
        }

        foreach (SqlError error in exception.Errors)
        {
            if (SqlServerUnavailable.Contains(error.Number))
            {
                return true;
            }
        }

        return SqlServerUnavailable.Contains(exception.Number);
    }
}
