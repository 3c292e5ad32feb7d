using System.Net;
using IntegrationHub.Client;
using IntegrationHub.Client.Models;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>The hub's problem answers as the client surfaces them, and the client's options validation.</summary>
public sealed class ClientProblemTests(HubFactory hub)
{
    [Fact]
    public async Task GetTenant_WhenUnknown_ShouldThrowTenantNotFoundWithTraceId()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);

        // Act
        var problem = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.GetTenantAsync(HubApi.NewTenantId("nobody")));

        // Assert
        problem.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        problem.Status.ShouldBe(404);
        problem.Type.ShouldBe("/problems/tenant-not-found");
        problem.Slug.ShouldBe(ProblemTypes.TenantNotFound);
        problem.Title.ShouldBe("Tenant not found");
        problem.Detail.ShouldNotBeNullOrWhiteSpace();
        problem.TraceId.ShouldNotBeNullOrWhiteSpace();
        problem.Errors.ShouldBeEmpty();
        problem.IsProvisioningPending.ShouldBeFalse();
    }

    [Fact]
    public async Task SignUp_WhenFieldsAreInvalid_ShouldThrowValidationWithErrorsPerField()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);

        // Act
        var problem = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.SignUpAsync("not a valid id!", ""));

        // Assert
        problem.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        problem.Slug.ShouldBe(ProblemTypes.Validation);
        problem.Errors.Keys.ShouldContain(k => k.Equals("tenantId", StringComparison.OrdinalIgnoreCase));
        problem.Errors.Keys.ShouldContain(k => k.Equals("name", StringComparison.OrdinalIgnoreCase));
        problem.Errors.Values.ShouldAllBe(messages => messages.Length > 0);
    }

    [Fact]
    public async Task Calls_WhenTheKeyIsWrongOrLacksTheRole_ShouldThrowUnauthorizedOrForbidden()
    {
        // Arrange
        using var wrong = TypedHubClient.For(hub, serviceKey: "not-a-key-of-this-hub");
        using var serviceOnly = TypedHubClient.For(hub);
        using var adminOnly = TypedHubClient.For(hub, serviceKey: null, adminKey: HubFactory.AdminKey);

        // Act
        var unauthorized = await Should.ThrowAsync<IntegrationHubProblemException>(() => wrong.Client.GetTenantAsync("acme"));
        var serviceOnAdmin = await Should.ThrowAsync<IntegrationHubProblemException>(() => serviceOnly.Client.ListTenantsAsync());
        var adminOnSignUp = await Should.ThrowAsync<IntegrationHubProblemException>(() => adminOnly.Client.SignUpAsync(HubApi.NewTenantId(), "Nope Ltd"));
        var adminListing = await adminOnly.Client.ListTenantsAsync(limit: 1);

        // Assert
        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unauthorized.Slug.ShouldBe(ProblemTypes.Unauthorized);
        serviceOnAdmin.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        serviceOnAdmin.Slug.ShouldBe(ProblemTypes.Forbidden);
        adminOnSignUp.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        adminListing.Items.Count.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task ListIntegrations_WhileTheAlloyUserIsBeingCreated_ShouldThrowProvisioningPendingWithRetryAfter()
    {
        // Arrange: the sandbox holds the create-user call, so the tenant stays in provisioning past the inline wait.
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client-pend");
        await hub.Sandbox.CloseGateAsync("POST", "/users", times: 5); // the hub's own retries of the call are held too
        IntegrationHubProblemException problem;
        try
        {
            await typed.Client.SignUpAsync(tenantId, "Pending Ltd");
            await Poll.UntilAsync(ct => hub.Sandbox.HeldAtGateAsync(ct), held => held >= 1, "the create-user call held at the gate");

            // Act
            problem = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.ListIntegrationsAsync(tenantId));
        }
        finally
        {
            await hub.Sandbox.OpenGateAsync();
        }

        // Assert
        problem.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        problem.IsProvisioningPending.ShouldBeTrue();
        problem.RetryAfter.ShouldNotBeNull();
        (await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100))).Alloy!.State.ShouldBe(ProvisioningState.Provisioned);
    }

    [Theory]
    [InlineData(null, "key")]
    [InlineData("relative/path", "key")]
    [InlineData("https://hub.example.com/", null)]
    public void AddIntegrationHubClient_WhenOptionsAreIncomplete_ShouldFailValidationNamingTheKey(string? baseAddress, string? key)
    {
        // Arrange
        void Configure(IntegrationHubClientOptions o)
        {
            o.BaseAddress = baseAddress is null ? null : new Uri(baseAddress, UriKind.RelativeOrAbsolute);
            o.ServiceKey = key;
        }

        // Act
        var failure = Should.Throw<OptionsValidationException>(() => TypedHubClient.ReadOptions(Configure));

        // Assert
        failure.Failures.Count().ShouldBe(1);
        failure.Failures.ShouldAllBe(f => f.StartsWith("IntegrationHub:", StringComparison.Ordinal));
    }
}
