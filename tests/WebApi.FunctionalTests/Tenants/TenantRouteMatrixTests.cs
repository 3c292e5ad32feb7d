using System.Net;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Tenants;

/// <summary>Every tenant route: no credentials 401, another tenant's member 403, a malformed tenant id 400.</summary>
public sealed class TenantRouteMatrixTests(HubFactory hub)
{
    public static TheoryData<string, string> TenantRoutes => new()
    {
        { "GET", "/api/tenants/{0}" },
        { "POST", "/api/tenants/{0}/provisioning/retry" },
        { "POST", "/api/tenants/{0}/alloy-token" },
        { "GET", "/api/tenants/{0}/integrations" },
        { "POST", "/api/tenants/{0}/installations/refresh" },
        { "GET", "/api/tenants/{0}/installations" },
        { "POST", "/api/tenants/{0}/events" },
        { "GET", "/api/tenants/{0}/events" },
        { "GET", "/api/tenants/{0}/events/evt_000000000000000000000000" },
    };

    [Theory]
    [MemberData(nameof(TenantRoutes))]
    public async Task TenantRoute_WhenNoCredentials_ShouldAnswer401(string method, string route)
    {
        // Act
        using var response = await hub.CreateAnonymousClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(null, route, "acme-matrix")));

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TenantRoutes))]
    public async Task TenantRoute_WhenAnotherTenantsMemberCalls_ShouldAnswer403WithoutTenantData(string method, string route)
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("matrix");
        (await hub.SignUpAsync(tenantId, "Matrix Private Name")).Dispose();

        // Act
        using var response = await hub.CreateMemberClient("intruder").SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(null, route, tenantId)));

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("Matrix Private Name");
    }

    [Theory]
    [MemberData(nameof(TenantRoutes))]
    public async Task TenantRoute_WhenTheTenantIdIsMalformed_ShouldAnswer400(string method, string route)
    {
        // Act
        using var response = await hub.CreateServiceClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(null, route, "bad.id!")));

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe("/problems/validation");
    }
}
