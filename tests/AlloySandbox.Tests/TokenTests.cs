using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class TokenTests
{
    private const string SigningKey = "test-signing-key-of-at-least-32-bytes!";

    private static Dictionary<string, string?> WithSigningKey() => new() { ["AlloySandbox:TokenSigningKey"] = SigningKey };

    [Fact]
    public async Task GetToken_WhenUserExists_ShouldReturnHs256JwtForThatUserValidFor30Minutes()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync(WithSigningKey());
        var userId = await host.Client.CreateUserAsync("token-user");

        // Act
        var token = await host.Client.GetTokenAsync(userId);

        // Assert
        var parts = token.Split('.');
        parts.Length.ShouldBe(3);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        header.RootElement.GetProperty("alg").GetString().ShouldBe("HS256");
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        payload.RootElement.GetProperty("user").GetProperty("_id").GetString().ShouldBe(userId);
        var issuedAt = payload.RootElement.GetProperty("iat").GetInt64();
        (payload.RootElement.GetProperty("exp").GetInt64() - issuedAt).ShouldBe(1800);
        issuedAt.ShouldBeInRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Base64Url.DecodeFromChars(parts[2]).ShouldBe(expected);
    }

    [Fact]
    public async Task GetToken_WhenAddressedByUsernameOrSingularPath_ShouldIssueForTheUserId()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("by-name");

        // Act
        using var singular = await host.Client.GetAsync("user/by-name/token");
        var pluralByName = await host.Client.GetTokenAsync("by-name");

        // Assert
        var singularToken = (await ReadJsonAsync(singular, HttpStatusCode.OK)).GetProperty("token").GetString()!;
        foreach (var token in new[] { singularToken, pluralByName })
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]));
            payload.RootElement.GetProperty("user").GetProperty("_id").GetString().ShouldBe(userId);
        }
    }

    [Fact]
    public async Task GetToken_WhenUserUnknown_ShouldReturn404()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("users/ghost/token");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "User not found");
    }

    [Fact]
    public async Task ListIntegrations_WhenCalledWithUserTokenInsteadOfKey_ShouldAnswerForTheTokensUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("browser-user");
        await host.Client.InstallAsync(userId, "Slack");
        var token = await host.Client.GetTokenAsync(userId);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Get, "2024-03/integrations", key: null, versionHeader: false, userToken: token);

        // Assert
        var data = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        data.Single(i => i.GetProperty("app").GetString() == "Slack").GetProperty("installed").GetBoolean().ShouldBeTrue();
        data.Single(i => i.GetProperty("app").GetString() == "Shopify").GetProperty("installed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task ActivateWorkflow_WhenCalledWithProductionUsersToken_ShouldActOnProductionData()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("prod-browser", key: ProductionKey);
        await host.Client.InstallAsync(userId, "Slack", key: ProductionKey);
        var token = await host.Client.GetTokenAsync(userId, key: ProductionKey);
        const string workflowId = "65f1a0c2e4b0a1b2c3d4e531";

        // Act
        using var deactivated = await host.Client.SendAsync(HttpMethod.Put, "2024-03/workflows/deactivate", new { workflowId }, key: null, userToken: token);

        // Assert
        (await ReadJsonAsync(deactivated, HttpStatusCode.OK)).GetProperty("deactivated").GetBoolean().ShouldBeTrue();
        using var workflow = await host.Client.GetAsync($"workflows/{workflowId}?userId={userId}", ProductionKey);
        var data = (await ReadJsonAsync(workflow, HttpStatusCode.OK)).GetProperty("data");
        data.GetProperty("installed").GetBoolean().ShouldBeTrue();
        data.GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task ListIntegrations_WhenUserTokenIsTampered_ShouldReturn401()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var victim = await host.Client.CreateUserAsync("victim");
        var attacker = await host.Client.CreateUserAsync("attacker");
        var token = await host.Client.GetTokenAsync(attacker);
        var parts = token.Split('.');
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace(attacker, victim, StringComparison.Ordinal)));

        // Act
        using var response = await host.Client.SendAsync(
            HttpMethod.Get, "integrations", key: null, userToken: $"{parts[0]}.{forgedPayload}.{parts[2]}");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ListIntegrations_WhenTokenNamesAnotherUserThanQuery_ShouldReturn401()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("other");
        var mine = await host.Client.CreateUserAsync("mine");
        var token = await host.Client.GetTokenAsync(mine);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Get, "integrations?userId=other", key: null, userToken: token);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ListIntegrations_WhenUserTokenExpired_ShouldReturn401()
    {
        // Arrange
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxHost.StartMountedAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var userId = await host.Client.CreateUserAsync("short-lived");
        var token = await host.Client.GetTokenAsync(userId);
        using var fresh = await host.Client.SendAsync(HttpMethod.Get, "integrations", key: null, userToken: token);
        clock.Advance(TimeSpan.FromMinutes(30));

        // Act
        using var expired = await host.Client.SendAsync(HttpMethod.Get, "integrations", key: null, userToken: token);

        // Assert
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeErrorAsync(expired, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ListUsers_WhenOnlyUserTokenGiven_ShouldReturn401BecauseKeyIsRequired()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("sdk");
        var token = await host.Client.GetTokenAsync(userId);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Get, "users", key: null, userToken: token);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ListIntegrations_WhenBrowserSendsCorsPreflightThenCall_ShouldAllowItsOrigin()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("cors");
        var token = await host.Client.GetTokenAsync(userId);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "2024-03/integrations");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-alloy-user-token");
        using var call = new HttpRequestMessage(HttpMethod.Get, "2024-03/integrations");
        call.Headers.Add("Origin", "https://app.example.com");
        call.Headers.Add("x-alloy-user-token", token);

        // Act
        using var preflightResponse = await host.Client.Http.SendAsync(preflight, TestContext.Current.CancellationToken);
        using var callResponse = await host.Client.Http.SendAsync(call, TestContext.Current.CancellationToken);

        // Assert
        preflightResponse.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://app.example.com"]);
        preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("x-alloy-user-token");
        callResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        callResponse.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["https://app.example.com"]);
        (await host.Client.GetStatsAsync()).GetProperty("calls").GetProperty("GET /integrations").GetInt64().ShouldBe(1);
    }
}
