using System.Net;
using IntegrationHub.Client;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>The client's resilience handler against the real hub: a POST safe to repeat is retried, a POST without a key is not.</summary>
public sealed class ClientResilienceTests(HubFactory hub)
{
    [Fact]
    public async Task Retries_WhenTheHubAnswers503_ShouldRepeatARetrySafePostButSendAnUnkeyedPostOnce()
    {
        // Arrange: a provisioned tenant, then Alloy down, so the hub answers 503 alloy-unavailable with Retry-After.
        var counter = new AttemptCounter();
        using var typed = TypedHubClient.For(hub, retries: 1, http: builder => builder.AddHttpMessageHandler(() => counter));
        var tenantId = HubApi.NewTenantId("client-rsl");
        await typed.Client.SignUpAsync(tenantId, "Resilient Ltd");
        await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        await hub.Sandbox.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });
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
            await hub.Sandbox.ClearFaultsAsync();
        }

        // Assert: the refresh (a POST marked safe to repeat: it re-reads Alloy) was sent again, the token POST once.
        refresh.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refreshAttempts.ShouldBe(2);
        post.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        post.Slug.ShouldBe(ProblemTypes.AlloyUnavailable);
        postAttempts.ShouldBe(1);
    }
}
