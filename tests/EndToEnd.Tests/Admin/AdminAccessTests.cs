using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Admin;

/// <summary>
/// The admin pages are public static files; everything they show comes from API calls that need an admin credential,
/// and the jobs dashboard needs the admin session cookie.
/// </summary>
public sealed class AdminAccessTests(EndToEndEnvironment env)
{
    public static TheoryData<string> AdminDataCalls =>
    [
        "/api/admin/tenants",
        "/api/admin/tenants?state=Failed",
        "/api/admin/installations",
        "/api/admin/installations/66a0a0a0a0a0a0a0a0a0a0a0/history",
        "/api/admin/audit",
        "/api/admin/integration-errors",
    ];

    [Theory]
    [MemberData(nameof(AdminDataCalls))]
    public async Task AdminDataCall_WhenNoCredentialIsSent_ShouldAnswer401(string path)
    {
        // Arrange
        using var anonymous = env.Hub.CreateClient();

        // Act
        using var response = await anonymous.GetAsync(path);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("tenantId");
    }

    [Theory]
    [MemberData(nameof(AdminDataCalls))]
    public async Task AdminDataCall_WhenTheCredentialIsAServiceKey_ShouldAnswer403(string path)
    {
        // Arrange
        using var service = env.Hub.CreateClient(EndToEndHub.ServiceKey);

        // Act
        using var response = await service.GetAsync(path);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/")]
    [InlineData("/hangfire/jobs/enqueued")]
    [InlineData("/hangfire/stats")]
    public async Task HangfireDashboard_WhenThereIsNoSession_ShouldAnswer401(string path)
    {
        // Arrange: even an admin key in a header opens nothing; the dashboard takes only its session cookie.
        using var anonymous = env.Hub.CreateClient();
        using var adminHeader = env.Hub.CreateClient(EndToEndHub.AdminKey);

        // Act
        using var withoutCredential = await anonymous.GetAsync(path);
        using var withHeader = await adminHeader.GetAsync(path);

        // Assert
        withoutCredential.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        withHeader.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminSession_WhenStartedWithAnAdminKey_ShouldSetAStrictHttpOnlyCookieScopedToTheDashboard()
    {
        // Arrange
        using var admin = env.Hub.CreateClient(EndToEndHub.AdminKey);

        // Act
        using var response = await admin.PostAsync("/admin/session", null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hub_dashboard=", StringComparison.Ordinal));
        cookie.ShouldContain("path=/hangfire", Case.Insensitive);
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        cookie.ShouldNotContain("expires=", Case.Insensitive); // a session cookie; the ticket inside expires after 20 minutes
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(EndToEndHub.ServiceKey, HttpStatusCode.Forbidden)]
    public async Task AdminSession_WhenTheCallerIsNotAnAdmin_ShouldBeRefusedWithoutACookie(string? apiKey, HttpStatusCode expected)
    {
        // Arrange
        using var client = apiKey is null ? env.Hub.CreateClient() : env.Hub.CreateClient(apiKey);

        // Act
        using var response = await client.PostAsync("/admin/session", null);

        // Assert
        response.StatusCode.ShouldBe(expected);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/admin/")]
    [InlineData("/admin/admin.js")]
    [InlineData("/admin/webhooks.js")]
    [InlineData("/admin/events.js")]
    [InlineData("/demo/")]
    public async Task Page_WhenRequestedWithoutCredential_ShouldBeServedWithAContentSecurityPolicy(string path)
    {
        // Arrange
        using var anonymous = env.Hub.CreateClient();

        // Act
        using var response = await anonymous.GetAsync(path);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task Browser_WhenNotSignedIn_ShouldSeeOnlyTheSignInFormAndBeRefusedTheDashboard()
    {
        // Arrange
        var page = await env.NewPageAsync();

        // Act
        var dashboard = await page.GotoAsync("/hangfire/");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("access-01-hangfire-refused") });
        await page.GotoAsync("/admin/");
        await page.GetByTestId("credential").FillAsync("not-a-real-key");
        await page.GetByTestId("sign-in").ClickAsync();

        // Assert
        dashboard!.Status.ShouldBe(401);
        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("That credential was refused.");
        await Expect(page.Locator("#console")).ToBeHiddenAsync();
        (await page.EvaluateAsync<int>("() => sessionStorage.length")).ShouldBe(0);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("access-02-sign-in-refused") });
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task Browser_WhenSignedInWithAnAdminJwt_ShouldSendItAsABearerTokenOnly()
    {
        // Arrange: an admin JWT from the development identity provider.
        using var anonymous = env.Hub.CreateClient();
        using var issued = await anonymous.PostAsJsonAsync("/dev/jwt", new { admin = true });
        var jwt = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var page = await env.NewPageAsync();
        await page.GotoAsync("/admin/");
        await page.GetByTestId("credential").FillAsync(jwt);

        // Act
        var tenants = await page.RunAndWaitForRequestAsync(
            () => page.GetByTestId("sign-in").ClickAsync(),
            r => r.Url.Contains("/api/admin/tenants", StringComparison.Ordinal) && !r.Url.Contains("limit=1", StringComparison.Ordinal));

        // Assert
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in as dev-admin");
        var headers = await tenants.AllHeadersAsync();
        headers["authorization"].ShouldBe("Bearer " + jwt);
        headers.ShouldNotContainKey("x-api-key");
        tenants.Url.ShouldNotContain(jwt);
    }
}
