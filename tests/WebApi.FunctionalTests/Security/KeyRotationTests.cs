using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>
/// Alloy's key page regenerates a key and revokes the old one at once. The hub reads its key on every call, falls
/// back to a secondary key, reports the rejection in readiness, spends no provisioning attempt on it, and resumes
/// by itself when a valid key is configured.
/// </summary>
public sealed class KeyRotationTests
{
    private const string OldKey = "alloy-key-old-0123456789";
    private const string NewKey = "alloy-key-new-9876543210";

    private static ConfiguredHub CreateHub(string hubKey, string? secondary = null) => new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
        ["Alloy:ApiKey"] = hubKey,
        ["Alloy:SecondaryApiKey"] = secondary,
        ["AlloySandbox:Keys:0:Key"] = OldKey,
        ["AlloySandbox:Keys:0:Environment"] = "Development",
        ["Provisioning:KeyRejectedRetryDelay"] = "00:00:01",
        ["Tokens:ReuseWindow"] = "00:00:00",
    });

    [Fact]
    public async Task RevokedKey_ShouldTurnReadinessUnhealthySpendNoAttemptsAndResumeWhenANewKeyIsConfigured()
    {
        // Arrange: a tenant provisioned with the old key.
        await using var hub = CreateHub(OldKey);
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var before = HubApi.NewTenantId("before");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId = before, name = "Before" })).Dispose();
        await WaitForAsync(service, before, t => State(t) == "Provisioned");

        // Act 1: Alloy regenerates the key (the sandbox now accepts only the new one); the hub still has the old.
        hub.Reconfigure(new Dictionary<string, string?> { ["AlloySandbox:Keys:0:Key"] = NewKey });
        var during = HubApi.NewTenantId("during");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId = during, name = "During" })).Dispose();
        var waiting = await WaitForAsync(service, during, t => Alloy(t).GetProperty("lastError").GetString()?.Contains("rejected", StringComparison.OrdinalIgnoreCase) == true);
        using var token = await service.PostAsync($"/api/tenants/{before}/alloy-token", null);
        using var ready = await hub.CreateClient().GetAsync("/health/ready");

        // Assert 1
        State(waiting).ShouldBeOneOf("Pending", "Provisioning");
        Alloy(waiting).GetProperty("attempts").GetInt32().ShouldBeLessThanOrEqualTo(1);
        var problem = await token.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-key-rejected");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var readiness = await ready.Content.ReadFromJsonAsync<JsonElement>();
        readiness.GetProperty("checks").GetProperty("alloy-key").GetProperty("description").GetString().ShouldBe("Alloy API key rejected");

        // Act 2: the operator configures the new key; no restart.
        hub.Reconfigure(new Dictionary<string, string?> { ["Alloy:ApiKey"] = NewKey });
        var resumed = await WaitForAsync(service, during, t => State(t) == "Provisioned");
        using var tokenAfter = await service.PostAsync($"/api/tenants/{before}/alloy-token", null);
        using var readyAfter = await hub.CreateClient().GetAsync("/health/ready");

        // Assert 2
        Alloy(resumed).GetProperty("attempts").GetInt32().ShouldBe(1);
        tokenAfter.StatusCode.ShouldBe(HttpStatusCode.OK);
        readyAfter.StatusCode.ShouldBe(HttpStatusCode.OK);
        hub.LogSink.Containing([OldKey, NewKey]).ShouldBeEmpty();
    }

    [Fact]
    public async Task TokenRequest_WhenAlloyRejectsTheKey_ShouldAnswerRetryAfterTheConfiguredKeyRejectedRetryDelay()
    {
        // Arrange: a tenant provisioned with the old key, then Alloy accepts only the new one.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:ApiKey"] = OldKey,
            ["AlloySandbox:Keys:0:Key"] = OldKey,
            ["AlloySandbox:Keys:0:Environment"] = "Development",
            ["Provisioning:KeyRejectedRetryDelay"] = "00:00:07",
            ["Tokens:ReuseWindow"] = "00:00:00",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("retry-after-key");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Retry After Key" })).Dispose();
        await WaitForAsync(service, tenantId, t => State(t) == "Provisioned");
        hub.Reconfigure(new Dictionary<string, string?> { ["AlloySandbox:Keys:0:Key"] = NewKey });

        // Act
        using var token = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        var problem = await token.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-key-rejected");
        token.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task SecondaryKey_WhenThePrimaryIsRejected_ShouldBeUsedAndReported()
    {
        // Arrange: the primary was revoked; the secondary is the valid one.
        await using var hub = CreateHub(NewKey, secondary: OldKey);
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("secondary");

        // Act
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Secondary" })).Dispose();
        var tenant = await WaitForAsync(service, tenantId, t => State(t) == "Provisioned");
        using var token = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        var readiness = await hub.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");

        // Assert
        Alloy(tenant).GetProperty("attempts").GetInt32().ShouldBe(1);
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        var key = readiness.GetProperty("checks").GetProperty("alloy-key");
        key.GetProperty("status").GetString().ShouldBe("Healthy");
        key.GetProperty("data").GetProperty("usingSecondaryKey").GetBoolean().ShouldBeTrue();
        hub.LogSink.Containing([OldKey, NewKey]).ShouldBeEmpty();
    }

    private static JsonElement Alloy(JsonElement tenant) => tenant.GetProperty("alloy");

    private static string State(JsonElement tenant) => Alloy(tenant).GetProperty("state").GetString()!;

    private static Task<JsonElement> WaitForAsync(HttpClient service, string tenantId, Func<JsonElement, bool> condition) =>
        Poll.UntilAsync(ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), condition, $"tenant {tenantId} to reach the expected state");
}
