using System.Diagnostics;
using System.Net;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task ApiCalls_WhenErrorRateIsOne_ShouldAllFailWith5xxButControlRoutesStillWork()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { errorRate = 1.0 });

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => host.Client.PostAsync("users", new { username = $"u{i}" })));

        // Assert
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var response in responses)
        {
            await ShouldBeErrorAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
            response.Dispose();
        }

        (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task ApiCalls_WhenErrorStatusConfigured_ShouldFailWithThatStatus()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });

        // Act
        using var response = await host.Client.GetAsync("users");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task ApiCalls_WhenRateLimitRateIsOne_ShouldReturn429WithRetryAfter()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { rateLimitRate = 1.0, retryAfterSeconds = 7 });

        // Act
        using var response = await host.Client.GetAsync("users/anyone/token");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.TooManyRequests, "Too many requests");
        response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task CreateUser_WhenScriptedAfterHandling_ShouldCreateTheUserButAnswer503()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new
        {
            scripted = new[] { new { method = "POST", path = "/users", status = 503, times = 1, afterHandling = true } },
        });

        // Act
        using var lost = await host.Client.SendAsync(HttpMethod.Post, "2024-03/users/", new { username = "lost-response" }, versionHeader: false);
        using var lookup = await host.Client.GetAsync("users/lost-response");
        using var retry = await host.Client.PostAsync("users", new { username = "lost-response" });

        // Assert
        await ShouldBeErrorAsync(lost, HttpStatusCode.ServiceUnavailable);
        (await ReadJsonAsync(lookup, HttpStatusCode.OK)).GetProperty("username").GetString().ShouldBe("lost-response");
        await ShouldBeErrorAsync(retry, HttpStatusCode.BadRequest, "User with username 'lost-response' already exists");
    }

    [Fact]
    public async Task CreateUser_WhenScriptedBeforeHandling_ShouldFailThatManyTimesWithoutCreating()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new
        {
            scripted = new[] { new { method = "post", path = "/users", status = 502, times = 2 } },
        });

        // Act
        using var first = await host.Client.PostAsync("users", new { username = "eventually" });
        using var faults = await host.Client.Http.GetAsync("_sandbox/faults", TestContext.Current.CancellationToken);
        using var second = await host.Client.PostAsync("users", new { username = "eventually" });
        using var third = await host.Client.PostAsync("users", new { username = "eventually" });

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await ReadJsonAsync(faults, HttpStatusCode.OK)).GetProperty("scripted")[0].GetProperty("times").GetInt32().ShouldBe(1);
        second.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetToken_WhenScriptedWithPlaceholderPath_ShouldMatchOnlyThatRoute()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("scripted-token");
        using var put = await host.Client.PutFaultsAsync(new
        {
            scripted = new[] { new { method = "GET", path = "/users/{userId}/token", status = 429, times = 1 } },
        });

        // Act
        using var user = await host.Client.GetAsync($"users/{userId}");
        using var token = await host.Client.GetAsync($"users/{userId}/token");
        using var tokenAgain = await host.Client.GetAsync($"users/{userId}/token");

        // Assert
        user.StatusCode.ShouldBe(HttpStatusCode.OK);
        token.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        token.Headers.RetryAfter.ShouldNotBeNull();
        tokenAgain.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteFaults_WhenFaultsWereSet_ShouldRestoreNormalAnswers()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { errorRate = 1.0, rateLimitRate = 1.0 });
        using var failing = await host.Client.GetAsync("users");

        // Act
        using var delete = await host.Client.Http.DeleteAsync("_sandbox/faults", TestContext.Current.CancellationToken);
        using var healthy = await host.Client.GetAsync("users");

        // Assert
        ((int)failing.StatusCode).ShouldBeGreaterThanOrEqualTo(400);
        var current = await ReadJsonAsync(delete, HttpStatusCode.OK);
        current.GetProperty("errorRate").GetDouble().ShouldBe(0);
        current.GetProperty("rateLimitRate").GetDouble().ShouldBe(0);
        healthy.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PutFaults_WhenSettingsInvalid_ShouldReturn400AndKeepPreviousSettings()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.PutFaultsAsync(new { errorRate = 2.5 });
        using var call = await host.Client.GetAsync("users");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "errorRate must be between 0 and 1");
        call.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ApiCalls_WhenLatencyConfigured_ShouldBeDelayed()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { latencyMs = 200 });
        var stopwatch = Stopwatch.StartNew();

        // Act
        using var response = await host.Client.GetAsync("users");

        // Assert
        stopwatch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ApiCalls_WhenFaultsConfiguredAtStartup_ShouldApplyThem()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync(new Dictionary<string, string?>
        {
            ["AlloySandbox:Faults:ErrorRate"] = "1",
            ["AlloySandbox:Faults:ErrorStatus"] = "502",
        });

        // Act
        using var response = await host.Client.GetAsync("users");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
    }
}
