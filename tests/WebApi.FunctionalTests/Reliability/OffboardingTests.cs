using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

public sealed class OffboardingTests(HubFactory hub)
{
    [Fact]
    public async Task Offboard_ShouldDeleteTheAlloyUserTombstoneTheTenantAndBeIdempotent()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("leave");
        var tenant = await hub.SignUpProvisionedAsync(tenantId, "Leaving Ltd");
        var member = hub.CreateMemberClient(tenantId);
        var integrations = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        await hub.Sandbox.InstallAsync(tenant.UserId()!, integrations.GetProperty("items")[0].GetProperty("integrationId").GetString()!);
        (await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null)).Dispose();

        // Act
        using var first = await hub.CreateServiceClient().DeleteAsync($"/api/tenants/{tenantId}");
        var gone = await hub.WaitForStateAsync(tenantId, "Deprovisioned");
        using var again = await hub.CreateAdminClient().DeleteAsync($"/api/tenants/{tenantId}");

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        first.Headers.Location!.ToString().ShouldBe($"/api/tenants/{tenantId}");
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        gone.GetProperty("deletedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await hub.Sandbox.UsersAsync(tenantId)).ShouldBeEmpty();
        var installations = await hub.CreateServiceClient().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations");
        installations.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("removedAt").ValueKind == JsonValueKind.String);

        using var token = await hub.CreateServiceClient().PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        (await token.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/tenant-offboarded");
        using var signup = await hub.SignUpAsync(tenantId, "Leaving Ltd");
        (await signup.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/tenant-offboarded");

        var audit = await Poll.UntilAsync(
            ct => hub.CreateAdminClient().GetFromJsonAsync<JsonElement>($"/api/admin/audit?tenantId={tenantId}&limit=100", ct),
            a => a.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("action").GetString() == "TenantDeprovisioned"),
            $"the audit of {tenantId} to record TenantDeprovisioned");
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.Count(a => a == "TenantOffboarded").ShouldBe(1);
    }

    [Fact]
    public async Task Offboard_WhenAlloyFailsForAWhile_ShouldKeepTryingAndFinish()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("stubborn");
        await hub.SignUpProvisionedAsync(tenantId);
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "DELETE", path = "/users/{uid}", status = 500, times = 12 } } });
        JsonElement stuck;
        try
        {
            // Act
            using var response = await hub.CreateServiceClient().DeleteAsync($"/api/tenants/{tenantId}");
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            stuck = await Poll.UntilAsync(
                () => hub.GetTenantAsync(tenantId),
                t => t.GetProperty("alloy").GetProperty("lastError").ValueKind == JsonValueKind.String,
                "a failed deprovisioning attempt is recorded");
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }

        var done = await hub.WaitForStateAsync(tenantId, "Deprovisioned");

        // Assert
        stuck.State().ShouldBe("Deprovisioning");
        done.GetProperty("alloy").GetProperty("attempts").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        (await hub.Sandbox.UsersAsync(tenantId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Offboard_WhenCalledByATenantMember_ShouldAnswer403AndChangeNothing()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);

        // Act
        using var response = await hub.CreateMemberClient(tenantId).DeleteAsync($"/api/tenants/{tenantId}");

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        (await hub.GetTenantAsync(tenantId)).State().ShouldBe("Provisioned");
    }

    [Fact]
    public async Task Offboard_WhenTheTenantIsUnknown_ShouldAnswer404()
    {
        // Act
        using var response = await hub.CreateServiceClient().DeleteAsync("/api/tenants/never-signed-up");

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
