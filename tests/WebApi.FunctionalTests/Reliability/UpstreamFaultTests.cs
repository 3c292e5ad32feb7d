using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

/// <summary>Alloy slow, failing, rate-limiting or down: nothing is lost, nothing duplicated, nothing hangs.</summary>
public sealed class UpstreamFaultTests
{
    private const string TokenCalls = "GET /users/{uid}/token";

    private static ConfiguredHub CreateHub() => new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
        ["Tokens:ReuseWindow"] = "00:00:00",
        ["Provisioning:MaxAttempts"] = "20",
        ["RateLimits:TenantTokenPerMinute"] = "0",
        ["RateLimits:ServiceKeyPerMinute"] = "0",
    });

    [Fact]
    public async Task Provisioning_With30PercentErrorsAnd10PercentRateLimits_ShouldProvisionEveryTenantOnceAndServe99PercentOfTokens()
    {
        // Arrange
        await using var hub = CreateHub();
        var sandbox = hub.Sandbox;
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var prefix = HubApi.NewTenantId("faulty");
        var tenantIds = Enumerable.Range(0, 100).Select(i => $"{prefix}-{i:D3}").ToList();
        await sandbox.SetFaultsAsync(new { errorRate = 0.3, errorStatus = 503, rateLimitRate = 0.1, retryAfterSeconds = 1 });

        // Act
        foreach (var chunk in tenantIds.Chunk(20))
        {
            var signups = await Task.WhenAll(chunk.Select(id => service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = id })));
            signups.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);
        }

        await Poll.UntilAsync(
            async ct => await Task.WhenAll(tenantIds.Select(id => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{id}", ct))),
            tenants => tenants.All(t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned"),
            "all 100 tenants provisioned under faults",
            TimeSpan.FromSeconds(90));
        var tokens = new List<HttpStatusCode>();
        foreach (var chunk in tenantIds.Chunk(10))
        {
            var responses = await Task.WhenAll(chunk.Select(id => service.PostAsync($"/api/tenants/{id}/alloy-token", null)));
            tokens.AddRange(responses.Select(r => r.StatusCode));
        }

        await sandbox.ClearFaultsAsync();

        // Assert
        var users = await sandbox.UsersAsync(prefix);
        users.Count.ShouldBe(100);
        users.Select(u => u.Username).Distinct().Count().ShouldBe(100);
        var succeeded = tokens.Count(s => s == HttpStatusCode.OK);
        TestContext.Current.TestOutputHelper?.WriteLine($"token requests: {succeeded}/{tokens.Count} succeeded under 30% 5xx + 10% 429");
        succeeded.ShouldBeGreaterThanOrEqualTo(99);
    }

    [Fact]
    public async Task TokenRequest_WhenAlloyAnswers429WithRetryAfter_ShouldWaitThatLongAndSucceed()
    {
        // Arrange
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("retry-after");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Retry After" })).Dispose();
        await Poll.UntilAsync(ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned", $"tenant {tenantId} to be Provisioned");
        await hub.Sandbox.SetFaultsAsync(new { retryAfterSeconds = 2, scripted = new[] { new { method = "GET", path = "/users/{uid}/token", status = 429, times = 1 } } });
        var before = await hub.Sandbox.CallsAsync(TokenCalls);
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        clock.Stop();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        (await hub.Sandbox.CallsAsync(TokenCalls) - before).ShouldBe(2);
    }

    [Fact]
    public async Task TokenRequest_WhenAlloyResilienceAllowsOneRetry_ShouldCallAlloyTwiceAndAnswer503()
    {
        // Arrange: one retry instead of the default five.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Tokens:ReuseWindow"] = "00:00:00",
            ["Alloy:Resilience:MaxRetryAttempts"] = "1",
            ["Alloy:Resilience:RetryDelay"] = "00:00:00.050",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("one-retry");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "One Retry" })).Dispose();
        await Poll.UntilAsync(ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned", $"tenant {tenantId} to be Provisioned");
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "GET", path = "/users/{uid}/token", status = 500, times = 10 } } });
        var before = await hub.Sandbox.CallsAsync(TokenCalls);

        // Act
        using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-unavailable");
        (await hub.Sandbox.CallsAsync(TokenCalls) - before).ShouldBe(2);
    }

    [Fact]
    public async Task TokenRequest_WhenAlloyIsDown_ShouldAnswer503QuicklyAndTheCircuitBreakerShouldStopCallingAlloy()
    {
        // Arrange
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("down");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Down" })).Dispose();
        await Poll.UntilAsync(ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned", $"tenant {tenantId} to be Provisioned");
        await hub.Sandbox.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 500 });

        // Act: enough requests to trip the breaker, then measure what reaches Alloy.
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
            problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-unavailable");
            response.Headers.RetryAfter.ShouldNotBeNull();
        }

        var before = await hub.Sandbox.CallsAsync(TokenCalls);
        var fast = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        fast.Stop();
        var reached = await hub.Sandbox.CallsAsync(TokenCalls) - before;
        await hub.Sandbox.ClearFaultsAsync();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine($"slowest 503: {slowest.TotalSeconds:0.0} s; 20 requests with the breaker open reached Alloy {reached} time(s) in {fast.Elapsed.TotalMilliseconds:0} ms");
        slowest.ShouldBeLessThan(TimeSpan.FromSeconds(35));
        reached.ShouldBeLessThan(20);
        fast.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }
}
