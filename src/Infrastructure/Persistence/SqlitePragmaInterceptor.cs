using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Every SQLite connection waits for a busy database instead of failing at once, and syncs less eagerly
/// (safe in WAL mode, which <see cref="DatabaseInitializer"/> turns on). The pragmas belong to the native
/// connection, which Microsoft.Data.Sqlite's pool keeps open between uses: they run once per native connection,
/// not on every open (parsing them on every request was a measurable share of a request's time, see bench/).
/// </summary>
public sealed class SqlitePragmaInterceptor(IOptions<DatabaseOptions> options) : DbConnectionInterceptor
{
    private static readonly object Configured = new();

    private readonly string _pragmas =
        $"PRAGMA busy_timeout = {(int)options.Value.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    // Native handles already configured; an entry goes when its pooled native connection is closed and collected.
    private readonly ConditionalWeakTable<object, object> _handles = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection, out var handle))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            Remember(handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection, out var handle))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(handle);
        }
    }

    private bool NeedsPragmas(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !_handles.TryGetValue(handle, out _);
    }

    private void Remember(object? handle)
    {
        if (handle is not null)
        {
            _handles.AddOrUpdate(handle, Configured);
        }
    }
}
