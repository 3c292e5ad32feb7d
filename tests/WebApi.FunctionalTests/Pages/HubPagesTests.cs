using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Pages;

/// <summary>The static pages (admin console, demo) and the Hangfire dashboard's gate; the browser journeys are in tests/EndToEnd.Tests.</summary>
public sealed class HubPagesTests(HubFactory hub)
{
    [Theory]
    [InlineData("/admin", HttpStatusCode.MovedPermanently)]
    [InlineData("/admin/", HttpStatusCode.OK)]
    [InlineData("/admin/admin.js", HttpStatusCode.OK)]
    [InlineData("/admin/webhooks.js", HttpStatusCode.OK)]
    [InlineData("/admin/events.js", HttpStatusCode.OK)]
    [InlineData("/assets/hub.css", HttpStatusCode.OK)]
    public async Task AdminConsole_WhenRequestedWithoutCredential_ShouldBeServedAsPublicStaticFiles(string path, HttpStatusCode expected)
    {
        // Arrange: the hub listens on a real port; a plain client that does not follow redirects.
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = hub.ClientOptions.BaseAddress };

        // Act
        using var response = await client.GetAsync(path);

        // Assert
        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.MovedPermanently)
        {
            response.Headers.Location!.ToString().ShouldEndWith("/admin/");
        }
    }

    [Fact]
    public async Task AdminConsole_WhenServed_ShouldForbidInlineScriptFramingAndForeignConnections()
    {
        // Act
        using var response = await hub.CreateAnonymousClient().GetAsync("/admin/");

        // Assert
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("connect-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("unsafe-inline");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("dev-admin-key");
    }

    [Fact]
    public async Task DemoPage_WhenDevelopment_ShouldAllowOnlyAlloysHostsBesideItsOwn()
    {
        // Act
        using var response = await hub.CreateAnonymousClient().GetAsync("/demo/");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("frame-src https://app.runalloy.com https://eu-app.runalloy.com");
        policy.ShouldContain("connect-src 'self' https://embedded.runalloy.com https://eu-embedded.runalloy.com");
        (await response.Content.ReadAsStringAsync()).ShouldContain("vendor/alloy-frontend.js");
    }

    [Fact]
    public async Task DemoPage_WhenTheEnvironmentIsProduction_ShouldAnswer404()
    {
        // Arrange
        await using var production = new ConfiguredHub(
            new Dictionary<string, string?>
            {
                ["Alloy:Sandbox"] = "false",
                ["Alloy:ApiKey"] = "alloy-production-key-for-a-test",
                ["Auth:Jwt:Issuer"] = "https://idp.example.test",
                ["Auth:Jwt:Audience"] = "integration-hub",
                ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(new byte[32]),
                ["Hangfire:WorkerCount"] = "0",
            },
            environment: "Production");
        using var client = production.CreateClient();

        // Act
        using var demo = await client.GetAsync("/demo/");
        using var bundle = await client.GetAsync("/demo/demo.js");
        using var admin = await client.GetAsync("/admin/");

        // Assert
        demo.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        bundle.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HangfireDashboard_WhenABrowserHasNoSession_ShouldAnswer401WithAPageThatPointsToTheConsole()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        // Act
        using var response = await hub.CreateAnonymousClient().SendAsync(request);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("href=\"/admin/\"");
        html.ShouldNotContain("Hangfire");
    }

    [Fact]
    public async Task HangfireDashboard_WhenTheAdminSessionCookieIsPresented_ShouldOpen()
    {
        // Arrange
        using var admin = hub.CreateAdminClient();
        using var session = await admin.PostAsync("/admin/session", null);
        var cookie = session.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hub_dashboard=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire/");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        // Act
        using var response = await hub.CreateAnonymousClient().SendAsync(request);

        // Assert
        session.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("IntegrationHub jobs");
    }
}
