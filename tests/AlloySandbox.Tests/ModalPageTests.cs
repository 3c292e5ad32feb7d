using System.Net;
using IntegrationHub.AlloySandbox.Tests.Support;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary>
/// The pages alloy-frontend 2.1.1 frames (<c>/forge-install</c>, <c>/authenticate-app</c>) and their connect calls; the
/// browser side (the SDK's iframe and postMessage) runs in tests/EndToEnd.Tests.
/// </summary>
public sealed class ModalPageTests
{
    private const string ShopifyId = "65f1a0c2e4b0a1b2c3d4e501";
    private const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";
    private const string SlackWorkflowId = "65f1a0c2e4b0a1b2c3d4e531";
    private const string SlackBlockId = "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e21";

    [Fact]
    public async Task ForgeInstall_WhenTheTokenIsValid_ShouldShowTheIntegrationWithConnectAndCancel()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var token = await host.Client.GetTokenAsync(await host.Client.CreateUserAsync("modal-page"));

        // Act: the URL exactly as the SDK builds it.
        using var response = await host.Client.GetAsync($"forge-install?integrationId={ShopifyId}&token={token}&forgeMode=engaged", key: null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("frame-ancestors *");
        policy.ShouldContain("script-src 'nonce-");
        response.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Connect Shopify");
        html.ShouldContain("Sync new orders");
        html.ShouldContain("Sync customers");
        html.ShouldContain("data-testid=\"alloy-sandbox-connect\"");
        html.ShouldContain("data-testid=\"alloy-sandbox-cancel\"");
        html.ShouldContain("workflowCreated: true, workflowIds: result.workflowIds");
        html.ShouldNotContain(token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjp7Il9pZCI6IngifX0.c2lnbmF0dXJl")]
    public async Task ForgeInstall_WhenTheTokenIsMissingOrInvalid_ShouldAnswer401WithAClosablePage(string token)
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();

        // Act
        using var response = await host.Client.GetAsync($"forge-install?integrationId={ShopifyId}&token={token}&forgeMode=engaged", key: null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("This link has expired");
        html.ShouldContain("data-testid=\"alloy-sandbox-close\"");
        html.ShouldNotContain("alloy-sandbox-connect");
    }

    [Fact]
    public async Task ForgeInstall_WhenWorkflowIdsAreGivenInsteadOfAnIntegration_ShouldShowOnlyThoseWorkflows()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var token = await host.Client.GetTokenAsync(await host.Client.CreateUserAsync("modal-workflows"));

        // Act: install({workflowIds: [...]}) puts each id in an id= parameter.
        using var response = await host.Client.GetAsync($"forge-install?id=65f1a0c2e4b0a1b2c3d4e512&token={token}&forgeMode=engaged&title=Customers", key: null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Customers");
        html.ShouldContain("Sync customers");
        html.ShouldNotContain("Sync new orders");
    }

    [Fact]
    public async Task ForgeInstallConnect_WhenTheFormIsComplete_ShouldCreateAnEnabledInstallationForTheTokensUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var userId = await host.Client.CreateUserAsync("modal-connect");
        var token = await host.Client.GetTokenAsync(userId);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "forge-install/connect", new
        {
            integrationId = SlackId,
            workflowIds = new[] { SlackWorkflowId },
            data = new[] { new { workflowId = SlackWorkflowId, blockId = SlackBlockId, fields = new[] { new { name = "channel", value = "#sales" } } } },
        }, key: null, userToken: token);

        // Assert
        var body = await SandboxAssertions.ReadJsonAsync(response, HttpStatusCode.OK);
        body.GetProperty("workflowIds").EnumerateArray().Select(w => w.GetString()).ShouldBe([SlackWorkflowId]);
        using var list = await host.Client.GetAsync($"installations?userId={userId}");
        var installations = (await SandboxAssertions.ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("data");
        installations.GetArrayLength().ShouldBe(1);
        installations[0].GetProperty("installationId").GetString().ShouldBe(body.GetProperty("installationId").GetString());
        installations[0].GetProperty("integrationId").GetString().ShouldBe(SlackId);
        installations[0].GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ForgeInstallConnect_WhenARequiredFieldIsEmpty_ShouldAnswer400AndCreateNothing()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var userId = await host.Client.CreateUserAsync("modal-missing");
        var token = await host.Client.GetTokenAsync(userId);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "forge-install/connect", new
        {
            integrationId = SlackId,
            data = new[] { new { workflowId = SlackWorkflowId, blockId = SlackBlockId, fields = new[] { new { name = "channel", value = " " } } } },
        }, key: null, userToken: token);

        // Assert
        (await SandboxAssertions.ReadJsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("message").GetString().ShouldBe("channel is required");
        using var list = await host.Client.GetAsync($"installations?userId={userId}");
        (await SandboxAssertions.ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ForgeInstallConnect_WhenTheUserTokenIsMissing_ShouldAnswer401()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "forge-install/connect", new { integrationId = SlackId }, key: null);

        // Assert
        (await SandboxAssertions.ReadJsonAsync(response, HttpStatusCode.Unauthorized)).GetProperty("message").GetString().ShouldBe("Unauthorized");
    }

    [Fact]
    public async Task ForgeInstall_WhenMountedUnderAPrefix_ShouldPostItsFormUnderThatPrefix()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var token = await host.Client.GetTokenAsync(await host.Client.CreateUserAsync("modal-mounted"));

        // Act
        using var response = await host.Client.GetAsync($"forge-install?integrationId={SlackId}&token={token}&forgeMode=engaged", key: null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain($"\"connectUrl\":\"{SandboxHost.Prefix}/forge-install/connect\"");
    }

    [Fact]
    public async Task AuthenticateApp_WhenConnected_ShouldStoreACredentialOfThatAppForTheUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var userId = await host.Client.CreateUserAsync("modal-authenticate");
        var token = await host.Client.GetTokenAsync(userId);
        using var page = await host.Client.GetAsync($"authenticate-app?token={token}&forgeMode=engaged&app=slack", key: null);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "authenticate-app/connect", new { app = "slack" }, key: null, userToken: token);

        // Assert
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Connect Slack");
        html.ShouldContain("connectionStatus: \"success\", credentialId: result.credentialId");
        var credentialId = (await SandboxAssertions.ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("credentialId").GetString();
        using var credentials = await host.Client.GetAsync($"credentials/users/{userId}");
        var stored = (await SandboxAssertions.ReadJsonAsync(credentials, HttpStatusCode.OK)).GetProperty("data");
        stored.EnumerateArray().ShouldContain(c => c.GetProperty("credentialId").GetString() == credentialId && c.GetProperty("type").GetString() == "slack");
    }

    [Fact]
    public async Task ModalPages_WhenCalled_ShouldBeCountedInStats()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();
        var token = await host.Client.GetTokenAsync(await host.Client.CreateUserAsync("modal-stats"));
        using var page = await host.Client.GetAsync($"forge-install?integrationId={SlackId}&token={token}", key: null);

        // Act
        using var stats = await host.Client.GetAsync("_sandbox/stats", key: null);

        // Assert
        var calls = (await SandboxAssertions.ReadJsonAsync(stats, HttpStatusCode.OK)).GetProperty("calls");
        calls.GetProperty("GET /forge-install").GetInt32().ShouldBe(1);
        calls.TryGetProperty("POST /forge-install/connect", out _).ShouldBeFalse();
    }
}
