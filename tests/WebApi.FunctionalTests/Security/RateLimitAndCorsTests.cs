using System.Net;
using System.Net.Http.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

public sealed class RateLimitAndCorsTests
{
    private const string AllowedOrigin = "https://app.example.com";

    private static ConfiguredHub CreateHub() => new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
        ["Hangfire:WorkerCount"] = "0",
        ["RateLimits:TenantTokenPerMinute"] = "3",
        ["RateLimits:TenantRefreshPerMinute"] = "2",
        ["RateLimits:ServiceKeyPerMinute"] = "25",
        ["Cors:Origins:0"] = AllowedOrigin,
    });

    [Fact]
    public async Task TokenEndpoint_WhenATenantExceedsItsBudget_ShouldAnswer429WithRetryAfterForThatTenantOnly()
    {
        // Arrange
        await using var hub = CreateHub();
        var busy = HubApi.NewTenantId("busy");
        var calm = HubApi.NewTenantId("calm");
        var service = hub.CreateClient(HubFactory.ServiceKey);
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId = busy, name = "Busy" })).Dispose();
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId = calm, name = "Calm" })).Dispose();
        var member = hub.CreateClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer", TestJwt.ForMember(busy));

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await member.PostAsync($"/api/tenants/{busy}/alloy-token", null);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var problem = await response.ReadProblemAsync(HttpStatusCode.TooManyRequests);
                problem.GetProperty("type").GetString().ShouldBe("/problems/rate-limited");
                response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
            }
        }

        using var other = await service.PostAsync($"/api/tenants/{calm}/alloy-token", null);

        // Assert
        statuses.Take(3).ShouldAllBe(s => s == HttpStatusCode.OK);
        statuses[3].ShouldBe(HttpStatusCode.TooManyRequests);
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RefreshEndpoint_WhenATenantExceedsItsBudget_ShouldAnswer429()
    {
        // Arrange
        await using var hub = CreateHub();
        var tenantId = HubApi.NewTenantId();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Refresher" })).Dispose();

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);
            statuses.Add(response.StatusCode);
        }

        // Assert
        statuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
    }

    [Fact]
    public async Task ServiceKey_WhenItExceedsItsBudget_ShouldAnswer429WhileOtherKeysContinue()
    {
        // Arrange
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var admin = hub.CreateClient(HubFactory.AdminKey);

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 26; i++)
        {
            using var response = await service.GetAsync("/api/tenants/nobody");
            statuses.Add(response.StatusCode);
        }

        using var adminResponse = await admin.GetAsync("/api/admin/tenants");

        // Assert
        statuses.Take(25).ShouldAllBe(s => s == HttpStatusCode.NotFound);
        statuses[25].ShouldBe(HttpStatusCode.TooManyRequests);
        adminResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Preflight_FromAConfiguredOrigin_ShouldBeAllowedAndFromAnyOtherRefused()
    {
        // Arrange
        await using var hub = CreateHub();
        var client = hub.CreateClient();

        // Act
        using var allowed = await client.SendAsync(Preflight(AllowedOrigin));
        using var refused = await client.SendAsync(Preflight("https://evil.example"));

        // Assert
        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([AllowedOrigin]);
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("authorization", Case.Insensitive);
        refused.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/tenants/acme/alloy-token");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return request;
    }
}
