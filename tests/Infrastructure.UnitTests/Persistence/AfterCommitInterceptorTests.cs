using IntegrationHub.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Infrastructure.UnitTests.Persistence;

/// <summary>On a real (in-memory SQLite) connection: a job is enqueued only once the row it refers to is committed.</summary>
public sealed class AfterCommitInterceptorTests : IDisposable
{
    private readonly AfterCommitInterceptor _interceptor = new();
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public AfterCommitInterceptorTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Run_WhenNoTransactionIsOpen_ShouldRunAtOnce()
    {
        // Arrange
        using var db = NewContext();
        var runs = 0;

        // Act
        _interceptor.Run(db, () => runs++);

        // Assert
        runs.ShouldBe(1);
    }

    [Fact]
    public async Task Run_WhenTransactionCommits_ShouldRunOnceAfterCommit()
    {
        // Arrange
        await using var db = NewContext();
        var runs = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);

        // Act
        _interceptor.Run(db, () => runs++);
        var runsBeforeCommit = runs;
        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        // Assert
        runsBeforeCommit.ShouldBe(0);
        runs.ShouldBe(1);
    }

    [Fact]
    public void Run_WhenTransactionCommitsSynchronously_ShouldRunAfterCommit()
    {
        // Arrange
        using var db = NewContext();
        var runs = 0;
        using var transaction = db.Database.BeginTransaction();

        // Act
        _interceptor.Run(db, () => runs++);
        var runsBeforeCommit = runs;
        transaction.Commit();

        // Assert
        runsBeforeCommit.ShouldBe(0);
        runs.ShouldBe(1);
    }

    [Fact]
    public async Task Run_WhenTransactionRollsBack_ShouldNeverRun()
    {
        // Arrange
        await using var db = NewContext();
        var runs = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            _interceptor.Run(db, () => runs++);

            // Act
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await using (var next = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await next.CommitAsync(TestContext.Current.CancellationToken);
        }

        // Assert
        runs.ShouldBe(0);
    }

    [Fact]
    public async Task Run_WhenTransactionDisposedWithoutCommit_ShouldNotRunOnALaterCommit()
    {
        // Arrange
        await using var db = NewContext();
        var runs = 0;
        await using (await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            _interceptor.Run(db, () => runs++);
        }

        // Act
        await using (var next = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await next.CommitAsync(TestContext.Current.CancellationToken);
        }

        // Assert
        runs.ShouldBe(0);
    }

    [Fact]
    public void Run_WhenTransactionDisposedWithoutCommitSynchronously_ShouldNotRunOnALaterCommit()
    {
        // Arrange
        using var db = NewContext();
        var runs = 0;
        using (db.Database.BeginTransaction())
        {
            _interceptor.Run(db, () => runs++);
        }

        // Act
        using (var next = db.Database.BeginTransaction())
        {
            next.Commit();
        }

        // Assert
        runs.ShouldBe(0);
    }

    [Fact]
    public async Task Run_WhenAnotherContextCommits_ShouldWaitForItsOwnContext()
    {
        // Arrange
        using var otherConnection = new SqliteConnection("Data Source=:memory:");
        otherConnection.Open();
        await using var mine = NewContext();
        await using var other = NewContext(otherConnection);
        var runs = 0;
        await using var myTransaction = await mine.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        _interceptor.Run(mine, () => runs++);

        // Act
        await using (var otherTransaction = await other.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await otherTransaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        var runsAfterOtherCommit = runs;
        await myTransaction.CommitAsync(TestContext.Current.CancellationToken);

        // Assert
        runsAfterOtherCommit.ShouldBe(0);
        runs.ShouldBe(1);
    }

    [Fact]
    public async Task Run_WhenSeveralActionsQueued_ShouldRunThemInOrder()
    {
        // Arrange
        await using var db = NewContext();
        var order = new List<int>();
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        _interceptor.Run(db, () => order.Add(1));
        _interceptor.Run(db, () => order.Add(2));
        _interceptor.Run(db, () => order.Add(3));

        // Act
        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        // Assert
        order.ShouldBe([1, 2, 3]);
    }

    private TestDbContext NewContext(SqliteConnection? connection = null) =>
        new(new DbContextOptionsBuilder<TestDbContext>()
            .UseSqlite(connection ?? _connection)
            .AddInterceptors(_interceptor)
            .Options);

    private sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options);
}
