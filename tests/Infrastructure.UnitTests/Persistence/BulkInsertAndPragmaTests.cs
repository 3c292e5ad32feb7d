using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.UnitTests.Persistence;

/// <summary>The model-driven bulk insert and the once-per-connection pragmas, on a real SQLite file with the real migrations.</summary>
public sealed class BulkInsertAndPragmaTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-bulk-" + Guid.NewGuid().ToString("N"));
    private readonly SqlitePragmaInterceptor _pragmas = new(Options.Create(new DatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(7) }));

    public BulkInsertAndPragmaTests() => Directory.CreateDirectory(_folder);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is disposable.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task InsertAsync_ShouldStoreEveryRowWithItsConvertedValuesAcrossSeveralCommands()
    {
        // Arrange: more rows than one SQL Server command would take (2,000 parameters, 7 columns a row).
        await using (var setup = CreateContext())
        {
            await setup.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        var at = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(2));
        var rows = Enumerable.Range(0, 700).Select(i => AuditEntry.Record(
            i % 2 == 0 ? AuditAction.TokenIssued : AuditAction.AdminQuery,
            i % 3 == 0 ? null : TenantId.From($"tenant-{i}"),
            $"actor-{i}",
            AuditActorKind.TenantMember,
            at.AddSeconds(i),
            i % 5 == 0 ? null : $"detail {i}",
            "00-trace")).ToList();

        // Act
        await using (var db = CreateContext())
        {
            await BulkInsert.InsertAsync(db, rows, TestContext.Current.CancellationToken);
        }

        // Assert
        await using var read = CreateContext();
        var stored = await read.AuditEntries.OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
        stored.Count.ShouldBe(700);
        for (var i = 0; i < rows.Count; i++)
        {
            stored[i].Action.ShouldBe(rows[i].Action);
            stored[i].TenantId.ShouldBe(rows[i].TenantId);
            stored[i].Actor.ShouldBe(rows[i].Actor);
            stored[i].At.ShouldBe(rows[i].At);
            stored[i].Detail.ShouldBe(rows[i].Detail);
        }

        stored.Select(e => e.Id).Distinct().Count().ShouldBe(700);
    }

    [Fact]
    public async Task Pragmas_ShouldHoldOnEveryOpenOfAPooledConnection()
    {
        // Arrange
        await using (var setup = CreateContext())
        {
            await setup.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        for (var open = 0; open < 3; open++)
        {
            // Act: a fresh context each time, as each request has; the pool hands back the same native connection.
            await using var db = CreateContext();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            var connection = db.Database.GetDbConnection();

            // Assert
            (await ScalarAsync(connection, "PRAGMA synchronous;")).ShouldBe(1L);
            (await ScalarAsync(connection, "PRAGMA foreign_keys;")).ShouldBe(1L);
            (await ScalarAsync(connection, "PRAGMA busy_timeout;")).ShouldBe(7000L);
        }

        SqliteConnection.ClearAllPools();
        await using var afresh = CreateContext();
        await afresh.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        (await ScalarAsync(afresh.Database.GetDbConnection(), "PRAGMA busy_timeout;")).ShouldBe(7000L);
    }

    private SqliteHubDbContext CreateContext() => new(new DbContextOptionsBuilder<SqliteHubDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_folder, "hub.db")}")
        .AddInterceptors(_pragmas)
        .Options);

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
