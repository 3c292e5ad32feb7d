using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Tenants;

public sealed class ProvisioningTests(HubFactory hub)
{
    [Fact]
    public async Task Provisioning_WhenAlloyCreatedTheUserButTheResponseWasLost_ShouldAdoptItAndKeepOneUser()
    {
        // Arrange: Alloy creates the user, then the answer is replaced by a 503 (as if the connection dropped).
        var tenantId = HubApi.NewTenantId("lost");
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 503, times = 1, afterHandling = true } } });
        try
        {
            // Act
            using var response = await hub.SignUpAsync(tenantId);
            var tenant = await hub.WaitForStateAsync(tenantId, "Provisioned");

            // Assert
            var users = await hub.Sandbox.UsersAsync(tenantId);
            users.Count.ShouldBe(1);
            tenant.UserId().ShouldBe(users[0].UserId);
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task Provisioning_WhenTheUsernameAlreadyExistsInAlloy_ShouldAdoptTheExistingUser()
    {
        // Arrange: a previous run (or a crash before our commit) left the user in Alloy.
        var tenantId = HubApi.NewTenantId("pre");
        var existing = await hub.Sandbox.AlloyAsync(HttpMethod.Post, "/users", new { username = tenantId, fullName = "Existing" });
        var existingId = existing.GetProperty("userId").GetString();

        // Act
        using var response = await hub.SignUpAsync(tenantId);
        var tenant = await hub.WaitForStateAsync(tenantId, "Provisioned");

        // Assert
        tenant.UserId().ShouldBe(existingId);
        (await hub.Sandbox.UsersAsync(tenantId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Provisioning_WhenAlloyRefusesPermanently_ShouldFailWithAlloysMessageAndAdminRetryShouldRecover()
    {
        // Arrange: Alloy answers the create with a 400 that does not mean "exists" (the lookup finds nobody).
        var tenantId = HubApi.NewTenantId("fail");
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 400, times = 1 } } });
        JsonElement failed;
        try
        {
            using var signup = await hub.SignUpAsync(tenantId);
            failed = await hub.WaitForStateAsync(tenantId, "Failed");
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }

        failed.GetProperty("alloy").GetProperty("lastError").GetString().ShouldNotBeNullOrWhiteSpace();
        using var token = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        (await token.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/provisioning-failed");

        // Act
        using var retry = await hub.CreateAdminClient().PostAsync($"/api/tenants/{tenantId}/provisioning/retry", null);

        // Assert
        retry.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var tenant = await hub.WaitForStateAsync(tenantId, "Provisioned");
        tenant.GetProperty("alloy").GetProperty("lastError").ValueKind.ShouldBe(JsonValueKind.Null);
        (await hub.Sandbox.UsersAsync(tenantId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RetryProvisioning_WhenTheTenantIsNotFailed_ShouldAnswer409()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);

        // Act
        using var response = await hub.CreateServiceClient().PostAsync($"/api/tenants/{tenantId}/provisioning/retry", null);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/provisioning-not-failed");
    }

    [Fact]
    public async Task RetryProvisioning_WhenCalledByATenantMember_ShouldAnswer403()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();

        // Act
        using var response = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/provisioning/retry", null);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Reconciler_WhenAPendingAccountHasNoJob_ShouldProvisionIt()
    {
        // Arrange: a tenant whose job was lost (written straight to the database, no job enqueued).
        var tenantId = HubApi.NewTenantId("orphan");
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Tenants.Add(Tenant.Create(TenantId.From(tenantId), "Orphan Ltd", now));
            db.AlloyAccounts.Add(AlloyAccount.Create(TenantId.From(tenantId), AlloyEnvironment.Development, string.Empty, now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (await hub.GetTenantAsync(tenantId)).State().ShouldBe("Pending");

        // Act
        int enqueued;
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            enqueued = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileProvisioningCommand(), TestContext.Current.CancellationToken);
        }

        // Assert
        enqueued.ShouldBeGreaterThanOrEqualTo(1);
        var tenant = await hub.WaitForStateAsync(tenantId, "Provisioned");
        (await hub.Sandbox.UsersAsync(tenantId)).Single().UserId.ShouldBe(tenant.UserId());
    }
}
