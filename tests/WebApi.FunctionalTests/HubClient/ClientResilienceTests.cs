using System.Net;
using IntegrationHub.Client;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>
/// The client against a hub whose Alloy is down: the 503 problem with Retry-After, and the resilience handler (a POST
/// safe to repeat is retried, a POST without a key is not). A hub of its own: the failures these tests cause would
/// otherwise count toward the shared hub's Alloy circuit breaker and fail other tests' Alloy calls while it is open.
/// </summary>
public sealed class ClientResilienceTests(AlloyDownHub fixture) : IClassFixture<AlloyDownHub>
{
    [Fact]
    public async Task Retries_WhenTheHubAnswers503_ShouldRepeatARetrySafePostButSendAnUnkeyedPostOnce()
    {
        // Arrange: a provisioned tenant, then Alloy down, so the hub answers 503 alloy-unavailable with Retry-After.
        var counter = new AttemptCounter();
        using var typed = TypedHubClient.For(fixture.Hub, retries: 1, http: builder => builder.AddHttpMessageHandler(() => counter));
        var tenantId = HubApi.NewTenantId("client-rsl");
        await typed.Client.SignUpAsync(tenantId, "Resilient Ltd");
        await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        await fixture.Hub.Sandbox.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });
        IntegrationHubProblemException refresh, post;
        int refreshAttempts, postAttempts;
        try
        {
            // Act
            counter.Reset();
            refresh = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.RefreshInstallationsAsync(tenantId));
            refreshAttempts = counter.Attempts;
            counter.Reset();
            post = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.IssueModalTokenAsync(tenantId));
            postAttempts = counter.Attempts;
        }
        finally
        {
            await fixture.Hub.Sandbox.ClearFaultsAsync();
        }

        // Assert: the refresh (a POST marked safe to repeat: it re-reads Alloy) was sent again, the token POST once.
        refresh.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refreshAttempts.ShouldBe(2);
        post.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        post.Slug.ShouldBe(ProblemTypes.AlloyUnavailable);
        postAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task IssueModalToken_WhenAlloyIsDown_ShouldThrow503WithRetryAfter()
    {
        // Arrange
        using var typed = TypedHubClient.For(fixture.Hub);
        var tenantId = HubApi.NewTenantId("client-down");
        await typed.Client.SignUpAsync(tenantId, "Down Ltd");
        await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        await fixture.Hub.Sandbox.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });
        IntegrationHubProblemException problem;
        try
        {
            // Act
            problem = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.IssueModalTokenAsync(tenantId));
        }
        finally
        {
            await fixture.Hub.Sandbox.ClearFaultsAsync();
        }

        // Assert
        problem.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        problem.Slug.ShouldBe(ProblemTypes.AlloyUnavailable);
        problem.RetryAfter.ShouldNotBeNull();
        problem.RetryAfter.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        problem.IsProvisioningPending.ShouldBeFalse();
    }
}

/// <summary>A hub with the in-process sandbox for the tests that take Alloy down.</summary>
public sealed class AlloyDownHub : IAsyncDisposable
{
    public ConfiguredHub Hub { get; } = new(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
