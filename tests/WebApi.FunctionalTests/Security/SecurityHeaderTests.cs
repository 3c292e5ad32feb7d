using System.Net;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

public sealed class SecurityHeaderTests(HubFactory hub)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/api/tenants/nobody")]
    [InlineData("/api/does-not-exist")]
    [InlineData("/openapi/v1.json")]
    public async Task AnyResponse_ShouldForbidSniffingAndFramingAndHideTheServer(string path)
    {
        // Act
        using var response = await hub.CreateServiceClient().GetAsync(path);

        // Assert
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task SandboxPages_ShouldStayFrameable()
    {
        // Act: the sandbox stands in for Alloy, whose modal pages are framed by the SaaS frontend.
        using var response = await hub.CreateAnonymousClient().GetAsync("/sandbox/alloy/_sandbox/health");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }
}
