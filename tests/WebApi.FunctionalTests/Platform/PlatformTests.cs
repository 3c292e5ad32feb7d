using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Platform;

public sealed class PlatformTests(HubFactory hub)
{
    [Fact]
    public async Task Health_WhenEverythingIsUp_ShouldReportEachReadinessCheck()
    {
        // Act
        using var live = await hub.CreateAnonymousClient().GetAsync("/health/live");
        var ready = await hub.CreateAnonymousClient().GetFromJsonAsync<JsonElement>("/health/ready");

        // Assert
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.GetProperty("status").GetString().ShouldBe("Healthy");
        var checks = ready.GetProperty("checks");
        checks.GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("job-storage").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("alloy-key").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task UnknownRoute_ShouldAnswer404Problem()
    {
        // Act
        using var response = await hub.CreateServiceClient().GetAsync("/api/does-not-exist");

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/not-found");
    }

    [Fact]
    public async Task WrongMethod_ShouldAnswer405Problem()
    {
        // Act
        using var response = await hub.CreateServiceClient().PutAsync("/api/tenants", null);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("validation")]
    [InlineData("provisioning-pending")]
    [InlineData("provisioning-failed")]
    [InlineData("alloy-key-rejected")]
    public async Task ProblemType_WhenKnown_ShouldBeExplained(string slug)
    {
        // Act
        var body = await hub.CreateAnonymousClient().GetFromJsonAsync<JsonElement>($"/problems/{slug}");

        // Assert
        body.GetProperty("type").GetString().ShouldBe($"/problems/{slug}");
        body.GetProperty("explanation").GetString()!.Length.ShouldBeGreaterThan(20);
    }

    [Fact]
    public async Task OpenApi_ShouldDescribeEveryContractRoute()
    {
        // Act
        var document = await hub.CreateAnonymousClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        // Assert
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/tenants");
        paths.ShouldContain("/api/tenants/{tenantId}");
        paths.ShouldContain("/api/tenants/{tenantId}/alloy-token");
        paths.ShouldContain("/api/tenants/{tenantId}/provisioning/retry");
        paths.ShouldContain("/api/tenants/{tenantId}/integrations");
        paths.ShouldContain("/api/tenants/{tenantId}/installations");
        paths.ShouldContain("/api/tenants/{tenantId}/installations/refresh");
        paths.ShouldContain("/api/admin/tenants");
        paths.ShouldContain("/api/admin/installations");
        paths.ShouldContain("/api/admin/installations/{installationId}/history");
    }

    [Fact]
    public async Task DevelopmentJwt_ShouldBeAcceptedForItsTenantOnly()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        (await hub.SignUpAsync(tenantId)).Dispose();
        var issued = await hub.CreateAnonymousClient().PostAsJsonAsync("/dev/jwt", new { tenantId });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        // Act
        using var own = await hub.CreateBearerClient(token).GetAsync($"/api/tenants/{tenantId}");
        using var other = await hub.CreateBearerClient(token).GetAsync("/api/tenants/another-one");

        // Assert
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        await other.ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
