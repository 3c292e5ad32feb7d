using IntegrationHub.Scenarios;
using IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

namespace IntegrationHub.SqlServer.IntegrationTests.Scenarios;

/// <summary>The shared scenarios (tests/Scenarios) on SQL Server with Hangfire.SqlServer; the SQLite run is in WebApi.FunctionalTests.</summary>
public sealed class SqlServerScenarioTests(SqlServerFixture sql) : IAsyncLifetime
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
    public Task SignUp_WhenProvisioned_ShouldIssueTokensAndRecordInstallations() =>
        HubScenarios.SignUpProvisionTokenAndInstallationsAsync(sql.Hub, TestContext.Current.CancellationToken);

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public Task SignUp_WhenRepeated_ShouldBeIdempotentAndRefuseAnotherName() =>
        HubScenarios.RepeatedSignupsAsync(sql.Hub, TestContext.Current.CancellationToken);

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public Task SignUp_WhenConcurrent_ShouldMakeOneTenantAndOneAlloyUserEach() =>
        HubScenarios.ConcurrentSignupsAsync(sql.Hub, TestContext.Current.CancellationToken);

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public Task Reconciler_WhenAPendingAccountLostItsJob_ShouldProvisionIt() =>
        HubScenarios.ReconcilerAfterALostJobAsync(sql.Hub, TestContext.Current.CancellationToken);

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public Task AdminQueries_WhenPagedFilteredAndExported_ShouldReturnEveryMatchOnce() =>
        HubScenarios.AdminQueriesAsync(sql.Hub, TestContext.Current.CancellationToken);

    [Fact(Skip = DockerEngine.Unavailable, SkipUnless = nameof(DockerEngine.IsAvailable), SkipType = typeof(DockerEngine))]
    public Task TenantEvents_WhenSentRepeatedAndRefused_ShouldDeliverEachOnceAndDeliverTheRefusedOneOnReplay() =>
        HubScenarios.TenantEventsAsync(sql.Hub, TestContext.Current.CancellationToken);
}
