using IntegrationHub.Scenarios;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Scenarios;

/// <summary>
/// The shared scenarios (tests/Scenarios) on the embedded default: SQLite and in-memory Hangfire. The same scenarios
/// run on SQL Server with Hangfire.SqlServer in SqlServer.IntegrationTests.
/// </summary>
public sealed class SqliteScenarioTests(HubFactory hub)
{
    private IHubUnderTest Hub => new FunctionalHub(hub);

    [Fact]
    public Task SignUp_WhenProvisioned_ShouldIssueTokensAndRecordInstallations() =>
        HubScenarios.SignUpProvisionTokenAndInstallationsAsync(Hub, TestContext.Current.CancellationToken);

    [Fact]
    public Task SignUp_WhenRepeated_ShouldBeIdempotentAndRefuseAnotherName() =>
        HubScenarios.RepeatedSignupsAsync(Hub, TestContext.Current.CancellationToken);

    [Fact]
    public Task SignUp_WhenConcurrent_ShouldMakeOneTenantAndOneAlloyUserEach() =>
        HubScenarios.ConcurrentSignupsAsync(Hub, TestContext.Current.CancellationToken);

    [Fact]
    public Task Reconciler_WhenAPendingAccountLostItsJob_ShouldProvisionIt() =>
        HubScenarios.ReconcilerAfterALostJobAsync(Hub, TestContext.Current.CancellationToken);

    [Fact]
    public Task AdminQueries_WhenPagedFilteredAndExported_ShouldReturnEveryMatchOnce() =>
        HubScenarios.AdminQueriesAsync(Hub, TestContext.Current.CancellationToken);

    [Fact]
    public Task TenantEvents_WhenSentRepeatedAndRefused_ShouldDeliverEachOnceAndDeliverTheRefusedOneOnReplay() =>
        HubScenarios.TenantEventsAsync(Hub, TestContext.Current.CancellationToken);

    /// <summary>The functional suite's shared hub, as the scenarios see a hub.</summary>
    private sealed class FunctionalHub(HubFactory factory) : IHubUnderTest
    {
        public SandboxClient Sandbox => new(factory.CreateClient(), SandboxClient.MountedRoot);

        public IServiceProvider Services => factory.Services;

        public HttpClient CreateServiceClient() => factory.CreateServiceClient();

        public HttpClient CreateAdminClient() => factory.CreateAdminClient();
    }
}
