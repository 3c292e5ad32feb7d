using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Tenants;

public sealed class GetTenantTests(HubFactory hub)
{
    [Fact]
    public async Task GetTenant_WhenOwnTenantMemberAsks_ShouldAnswer200WithTheAccount()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId, "Member Co");

        // Act
        var body = await hub.CreateMemberClient(tenantId).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");

        // Assert
        body.GetProperty("name").GetString().ShouldBe("Member Co");
        body.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
        body.GetProperty("alloy").GetProperty("userId").GetString()!.Length.ShouldBe(24);
    }

    [Fact]
    public async Task GetTenant_WhenAdminAsks_ShouldAnswer200()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        using var _ = await hub.SignUpAsync(tenantId);

        // Act
        using var byKey = await hub.CreateAdminClient().GetAsync($"/api/tenants/{tenantId}");
        using var byJwt = await hub.CreateBearerClient(TestJwt.ForAdmin()).GetAsync($"/api/tenants/{tenantId}");

        // Assert
        byKey.StatusCode.ShouldBe(HttpStatusCode.OK);
        byJwt.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetTenant_WhenAnotherTenantsMemberAsks_ShouldAnswer403WithoutTenantData()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        using var _ = await hub.SignUpAsync(tenantId, "Secret Name Ltd");

        // Act
        using var response = await hub.CreateMemberClient("someone-else").GetAsync($"/api/tenants/{tenantId}");

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("Secret Name Ltd");
    }

    [Fact]
    public async Task GetTenant_WhenUnknown_ShouldAnswer404TenantNotFound()
    {
        // Act
        using var response = await hub.CreateServiceClient().GetAsync("/api/tenants/does-not-exist");

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("type").GetString().ShouldBe("/problems/tenant-not-found");
    }

    [Fact]
    public async Task GetTenant_WhenTenantIdIsMalformed_ShouldAnswer400()
    {
        // Act
        using var response = await hub.CreateServiceClient().GetAsync("/api/tenants/bad%20id!");

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("tenantId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task GetTenant_WhenNoCredentials_ShouldAnswer401()
    {
        // Act
        using var response = await hub.CreateAnonymousClient().GetAsync("/api/tenants/anything");

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }
}
