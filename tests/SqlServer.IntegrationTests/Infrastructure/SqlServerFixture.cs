using Microsoft.Data.SqlClient;
using Respawn;
using Respawn.Graph;
using Testcontainers.MsSql;

namespace IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

/// <summary>
/// One pinned SQL Server container per run, a hub database prepared as the README advises (READ_COMMITTED_SNAPSHOT
/// on), and one hub on it (<see cref="SqlServerHub"/>: real migrations at start, Hangfire.SqlServer in schema
/// <c>hangfire</c>). <see cref="ResetAsync"/> empties the hub's tables (Respawn) and leaves the migration history and
/// Hangfire's schema alone. Without Docker it starts nothing (the tests are skipped, see <see cref="DockerEngine"/>).
/// </summary>
public sealed class SqlServerFixture : IAsyncLifetime
{
    /// <summary>Pinned: the image the suite is known to pass on, and the one docker-compose.yml runs.</summary>
    public const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    public const string HubDatabase = "IntegrationHub";

    private const int DeadlockVictim = 1205;

    private MsSqlContainer? _container;
    private SqlServerHub? _hub;
    private Respawner? _respawner;

    public SqlServerHub Hub => _hub ?? throw new InvalidOperationException(DockerEngine.Unavailable);

    /// <summary>The hub database's connection string.</summary>
    public string ConnectionString => ConnectionStringFor(HubDatabase);

    public string ConnectionStringFor(string database)
    {
        var container = _container ?? throw new InvalidOperationException(DockerEngine.Unavailable);
        return new SqlConnectionStringBuilder(container.GetConnectionString()) { InitialCatalog = database, TrustServerCertificate = true }.ConnectionString;
    }

    public async ValueTask InitializeAsync()
    {
        if (!DockerEngine.IsAvailable)
        {
            return;
        }

        _container = new MsSqlBuilder(Image).Build();
        await _container.StartAsync();
        await CreateDatabaseAsync(HubDatabase);

        _hub = new SqlServerHub(ConnectionString);
        await _hub.StartAsync();

        await using var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.SqlServer,
            SchemasToInclude = ["dbo"],
            TablesToIgnore = [new Table("dbo", "__EFMigrationsHistory")],
        });
    }

    /// <summary>Empties the hub's tables; call first in every test.</summary>
    public async Task ResetAsync()
    {
        var respawner = _respawner ?? throw new InvalidOperationException(DockerEngine.Unavailable);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new SqlConnection(ConnectionString);
                await connection.OpenAsync();
                await respawner.ResetAsync(connection);
                return;
            }
            catch (SqlException ex) when (ex.Number == DeadlockVictim && attempt < 5)
            {
                // A background job of the previous test (a retry, the sync) was writing the same rows.
                await Task.Delay(200 * attempt);
            }
        }
    }

    /// <summary>Creates an empty database with READ_COMMITTED_SNAPSHOT on (the README's advice).</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new SqlConnection(ConnectionStringFor("master"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            IF DB_ID(N'{name}') IS NULL CREATE DATABASE [{name}];
            ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;
            """;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new SqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
