using System.Net;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.Scenarios;
using IntegrationHub.SqlServer.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.SqlServer.IntegrationTests.Persistence;

/// <summary>What differs on SQL Server and must hold there: the concurrency stamp, job storage in the hub database, RCSI.</summary>
public sealed class SqlServerSpecificsTests(SqlServerFixture sql) : IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        if (DockerEngine.IsAvailable)
        {
            await sql.ResetAsync();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public async Task ConcurrencyStamp_WhenTwoWorkersTakeTheSameLease_ShouldRefuseTheSecondCommit()
    {
        // Arrange: an account and two contexts that both loaded it (two workers).
        var tenantId = HubScenarios.NewTenantId("stamp");
        using var service = sql.Hub.CreateServiceClient();
        (await HubScenarios.SignUpAsync(service, tenantId, "Stamp Ltd", TestContext.Current.CancellationToken)).Dispose();
        await HubScenarios.WaitForStateAsync(service, tenantId, "Provisioned", TestContext.Current.CancellationToken);
        await using var first = sql.Hub.Services.CreateAsyncScope();
        await using var second = sql.Hub.Services.CreateAsyncScope();
        var a = await LoadAsync(first, tenantId);
        var b = await LoadAsync(second, tenantId);

        // Act: both report the user missing (a transition that changes the stamp); the second commit is stale.
        a.ReportUserMissing(DateTimeOffset.UtcNow, reprovision: false);
        b.ReportUserMissing(DateTimeOffset.UtcNow, reprovision: false);
        await first.ServiceProvider.GetRequiredService<HubDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        var stale = () => second.ServiceProvider.GetRequiredService<HubDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);

        // Assert
        await stale.ShouldThrowAsync<DbUpdateConcurrencyException>();
    }

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public async Task Jobs_WhenATenantSignsUp_ShouldLiveInTheHangfireSchemaOfTheHubDatabase()
    {
        // Arrange
        var tenantId = HubScenarios.NewTenantId("jobs");
        using var service = sql.Hub.CreateServiceClient();

        // Act
        using var response = await HubScenarios.SignUpAsync(service, tenantId, "Jobs Ltd", TestContext.Current.CancellationToken);
        await HubScenarios.WaitForStateAsync(service, tenantId, "Provisioned", TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await sql.ScalarAsync<int>(SqlServerFixture.HubDatabase, "SELECT COUNT(*) FROM [hangfire].[Server]")).ShouldBeGreaterThanOrEqualTo(1);
        (await sql.ScalarAsync<int>(SqlServerFixture.HubDatabase, "SELECT COUNT(*) FROM [hangfire].[Job]")).ShouldBeGreaterThanOrEqualTo(1);
        (await sql.ScalarAsync<int>(SqlServerFixture.HubDatabase,
            $"SELECT is_read_committed_snapshot_on FROM sys.databases WHERE name = N'{SqlServerFixture.HubDatabase}'")).ShouldBe(1);
    }

    private static async Task<AlloyAccount> LoadAsync(AsyncServiceScope scope, string tenantId)
    {
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.AlloyAccounts.SingleAsync(a => a.TenantId == Domain.Tenants.TenantId.From(tenantId), TestContext.Current.CancellationToken);
    }
}
