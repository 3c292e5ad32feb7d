using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire.Storage;
using IntegrationHub.Application.Common.Errors;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.WebApi.Errors;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

/// <summary>
/// What the hub answers for the unexpected, decided by the exception's type and the database's error code: only a
/// database that cannot serve right now is "unavailable" (503); a timeout of anything else is not blamed on it.
/// </summary>
public sealed class ExceptionMappingTests(HubFactory hub)
{
    public static TheoryData<string, int> Failures => new()
    {
        { "sqlite-busy", 503 },
        { "sqlite-locked", 503 },
        { "sqlite-busy-in-ef-update", 503 },
        { "ef-retry-limit", 503 },
        { "hangfire-lock-timeout", 503 },
        { "audit-backlog", 503 },
        { "sqlite-constraint", 500 },
        { "timeout", 500 },
        { "http-client-timeout", 500 },
        { "bug", 500 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task TryHandle_WhenAnExceptionEscapes_ShouldAnswerByItsTypeAndOrigin(string failure, int status)
    {
        // Arrange
        var handler = new HubExceptionHandler(hub.Services.GetRequiredService<IProblemDetailsService>(), NullLogger<HubExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = hub.Services };
        context.Response.Body = new MemoryStream();

        // Act
        var handled = await handler.TryHandleAsync(context, Create(failure), TestContext.Current.CancellationToken);

        // Assert
        handled.ShouldBeTrue();
        context.Response.StatusCode.ShouldBe(status, failure);
        context.Response.Body.Position = 0;
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        problem.GetProperty("type").GetString().ShouldBe(status == 503 ? "/problems/unavailable" : "/problems/internal", failure);
        (context.Response.Headers.RetryAfter.Count > 0).ShouldBe(status == 503, failure);
    }

    [Fact]
    public async Task Request_WhenAnUpstreamCallTimesOutOutsideTheDatabase_ShouldNotAnswerDatabaseUnavailable()
    {
        // Arrange: Alloy's integration list throws a TimeoutException past the adapter (everything else is real).
        await using var timingOut = new ConfiguredHub(
            new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" },
            services: services =>
            {
                services.AddTransient<AlloyClient>();
                services.AddTransient<IAlloyClient>(sp => new IntegrationsTimeOut(sp.GetRequiredService<AlloyClient>()));
            });
        var service = timingOut.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("timeout");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Timeout" })).Dispose();
        await Poll.UntilAsync(
            () => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}"),
            t => t.State() == "Provisioned",
            because: $"tenant {tenantId} to be provisioned");

        // Act
        using var response = await service.GetAsync($"/api/tenants/{tenantId}/integrations");

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.InternalServerError);
        problem.GetProperty("type").GetString().ShouldBe("/problems/internal");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("database", Case.Insensitive);
        response.Headers.RetryAfter.ShouldBeNull();
    }

    private static Exception Create(string failure) => failure switch
    {
        "sqlite-busy" => new SqliteException("database is locked", 5),
        "sqlite-locked" => new SqliteException("database table is locked", 6),
        "sqlite-busy-in-ef-update" => new DbUpdateException("An error occurred while saving the entity changes.", new SqliteException("database is locked", 5)),
        "ef-retry-limit" => new RetryLimitExceededException("The maximum number of retries (5) was exceeded.", new InvalidOperationException("transient")),
        "hangfire-lock-timeout" => new DistributedLockTimeoutException("recurring-jobs:lock"),
        "audit-backlog" => new AuditBacklogException("The audit buffer stayed full for 5 s."),
        "sqlite-constraint" => new SqliteException("UNIQUE constraint failed: Tenants.Id", 19),
        "timeout" => new TimeoutException("The operation has timed out."),
        "http-client-timeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException("The operation was canceled.")),
        "bug" => new InvalidOperationException("Sequence contains no elements"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <summary>The real Alloy client, except that listing integrations times out past it.</summary>
    private sealed class IntegrationsTimeOut(IAlloyClient inner) : IAlloyClient
    {
        public Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken) => inner.CreateUserAsync(username, fullName, cancellationToken);

        public Task<Result<AlloyBatchResult>> CreateUsersAsync(IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken) =>
            inner.CreateUsersAsync(users, cancellationToken);

        public Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken) => inner.FindUserAsync(userIdOrUsername, cancellationToken);

        public Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken) => inner.DeleteUserAsync(userId, cancellationToken);

        public Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken) => inner.DeleteUserLogsAsync(userId, cancellationToken);

        public Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken) => inner.ListUsersAsync(cancellationToken);

        public Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken) => inner.CreateUserTokenAsync(userId, cancellationToken);

        public Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken) =>
            throw new TimeoutException("The upstream call timed out (injected by the test).");

        public Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken) => inner.ListInstallationsAsync(cancellationToken);

        public Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken) => inner.ListEventsAsync(cancellationToken);

        public Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken) =>
            inner.RunEventAsync(userId, eventName, dataJson, cancellationToken);
    }
}
