using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Audit;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using IntegrationHub.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.UnitTests.Audit;

/// <summary>The buffered audit writer against a real SQLite file migrated with the real migrations.</summary>
public sealed class AuditWriterTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-audit-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public AuditWriterTests()
    {
        Directory.CreateDirectory(_folder);
        var services = new ServiceCollection();
        services.AddDbContext<SqliteHubDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_folder, "hub.db")};Pooling=False"));
        services.AddScoped<HubDbContext>(sp => sp.GetRequiredService<SqliteHubDbContext>());
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is disposable.
        }
    }

    [Fact]
    public async Task StopAsync_WhenEntriesAreStillBuffered_ShouldWriteThemAllBeforeStopping()
    {
        // Arrange: a batch that would wait a minute to fill.
        await MigrateAsync();
        var (sink, writer) = Create(new AuditOptions { BatchSize = 10_000, FlushInterval = TimeSpan.FromMinutes(1) });
        await writer.StartAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 1234; i++)
        {
            await sink.WriteAsync(Entry(i), TestContext.Current.CancellationToken);
        }

        var storedBeforeStop = await CountAsync();

        // Act
        await writer.StopAsync(TestContext.Current.CancellationToken);

        // Assert
        storedBeforeStop.ShouldBe(0);
        (await CountAsync()).ShouldBe(1234);
        sink.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task WriteAsync_WhenTheWriterIsRunning_ShouldStoreTheEntryWithinTheFlushInterval()
    {
        // Arrange
        await MigrateAsync();
        var (sink, writer) = Create(new AuditOptions { FlushInterval = TimeSpan.FromMilliseconds(20) });
        await writer.StartAsync(TestContext.Current.CancellationToken);
        var at = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

        // Act
        await sink.WriteAsync(
            AuditEntry.Record(AuditAction.TokenIssued, TenantId.From("acme"), "svc", AuditActorKind.Service, at, "userId=u1", "00-trace"),
            TestContext.Current.CancellationToken);

        // Assert
        await Poll.UntilAsync(() => CountAsync().GetAwaiter().GetResult() == 1, "the entry is stored");
        await using var scope = _services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEntries.SingleAsync(TestContext.Current.CancellationToken);
        stored.Id.ShouldBeGreaterThan(0);
        stored.Action.ShouldBe(AuditAction.TokenIssued);
        stored.TenantId.ShouldBe(TenantId.From("acme"));
        stored.Actor.ShouldBe("svc");
        stored.ActorKind.ShouldBe(AuditActorKind.Service);
        stored.At.ShouldBe(at);
        stored.Detail.ShouldBe("userId=u1");
        stored.TraceId.ShouldBe("00-trace");
        await writer.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WriteAsync_WhenTheBufferIsFull_ShouldWaitForRoomRatherThanDrop()
    {
        // Arrange: no writer yet, so the buffer of two fills up.
        await MigrateAsync();
        var (sink, writer) = Create(new AuditOptions { Capacity = 2, FlushInterval = TimeSpan.FromMilliseconds(20), FullWait = TimeSpan.FromMinutes(1) });
        await sink.WriteAsync(Entry(1), TestContext.Current.CancellationToken);
        await sink.WriteAsync(Entry(2), TestContext.Current.CancellationToken);

        // Act
        var third = sink.WriteAsync(Entry(3), TestContext.Current.CancellationToken).AsTask();
        var waitedForRoom = !third.IsCompleted;
        await writer.StartAsync(TestContext.Current.CancellationToken);
        await third;
        await writer.StopAsync(TestContext.Current.CancellationToken);

        // Assert
        waitedForRoom.ShouldBeTrue();
        (await CountAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task WriteAsync_WhenTheBufferStaysFull_ShouldThrowAuditBacklogExceptionAndLogIt()
    {
        // Arrange
        var logger = new CapturingLogger<BufferedAuditSink>();
        var sink = new BufferedAuditSink(Options.Create(new AuditOptions { Capacity = 1, FullWait = TimeSpan.FromMilliseconds(50) }), logger);
        await sink.WriteAsync(Entry(1), TestContext.Current.CancellationToken);

        // Act
        var act = async () => await sink.WriteAsync(Entry(2), TestContext.Current.CancellationToken);

        // Assert
        await act.ShouldThrowAsync<IntegrationHub.Application.Common.Errors.AuditBacklogException>();
        logger.Entries.ShouldContain(e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task WriteAsync_WhenTheDatabaseFailsAtFirst_ShouldKeepTheBatchAndRetry()
    {
        // Arrange: the table does not exist yet, so the first writes fail.
        var logger = new CapturingLogger<AuditWriter>();
        var (sink, writer) = Create(new AuditOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, logger);
        await writer.StartAsync(TestContext.Current.CancellationToken);
        await sink.WriteAsync(Entry(1), TestContext.Current.CancellationToken);
        await sink.WriteAsync(Entry(2), TestContext.Current.CancellationToken);
        await Poll.UntilAsync(() => logger.Entries.Any(e => e.Level == LogLevel.Error), "a failed write is reported");

        // Act
        await MigrateAsync();

        // Assert
        await Poll.UntilAsync(() => CountAsync().GetAwaiter().GetResult() == 2, "both entries are stored after the database recovers");
        await writer.StopAsync(TestContext.Current.CancellationToken);
        (await CountAsync()).ShouldBe(2);
    }

    private (BufferedAuditSink Sink, AuditWriter Writer) Create(AuditOptions options, ILogger<AuditWriter>? logger = null)
    {
        var settings = Options.Create(options);
        var sink = new BufferedAuditSink(settings, NullLogger<BufferedAuditSink>.Instance);
        var writer = new AuditWriter(sink, _services.GetRequiredService<IServiceScopeFactory>(), settings, TimeProvider.System,
            logger ?? NullLogger<AuditWriter>.Instance);
        return (sink, writer);
    }

    private async Task MigrateAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HubDbContext>().Database.MigrateAsync(TestContext.Current.CancellationToken);
    }

    private async Task<int> CountAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEntries.CountAsync(TestContext.Current.CancellationToken);
    }

    private static AuditEntry Entry(int n) =>
        AuditEntry.Record(AuditAction.AdminQuery, null, "admin", AuditActorKind.Admin, DateTimeOffset.UtcNow, $"query {n}");
}
