using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Tokens;

public sealed class IssueModalTokenTests(HubFactory hub)
{
    private const string TokenCalls = "GET /users/{uid}/token";

    [Fact]
    public async Task IssueModalToken_WhenProvisioned_ShouldReturnTheTokenWithItsJwtExpiryAndNoStore()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        var tenant = await hub.SignUpProvisionedAsync(tenantId);

        // Act
        using var response = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("userId").GetString().ShouldBe(tenant.UserId());
        var token = body.GetProperty("token").GetString()!;
        var payload = JwtPayload(token);
        payload.GetProperty("user").GetProperty("_id").GetString().ShouldBe(tenant.UserId());
        var exp = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64());
        body.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(exp);
        (exp - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(31));
    }

    [Fact]
    public async Task IssueModalToken_When50RequestsArriveAtOnce_ShouldMakeOneUpstreamCall()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);
        var client = hub.CreateMemberClient(tenantId);
        var before = await hub.Sandbox.CallsAsync(TokenCalls);

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostAsync($"/api/tenants/{tenantId}/alloy-token", null)));

        // Assert
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var tokens = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()));
        tokens.Distinct().Count().ShouldBe(1);
        (await hub.Sandbox.CallsAsync(TokenCalls) - before).ShouldBe(1);
    }

    [Fact]
    public async Task IssueModalToken_WhenTheTenantIsNotProvisionedYet_ShouldProvisionInlineAndAnswer200()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("inline");
        using var signup = await hub.SignUpAsync(tenantId);

        // Act: ask at once, before the background job can be relied on.
        using var response = await hub.CreateServiceClient().PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await hub.GetTenantAsync(tenantId)).State().ShouldBe("Provisioned");
        (await hub.Sandbox.UsersAsync(tenantId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task IssueModalToken_WhenAlloyIsDown_ShouldAnswer503WithRetryAfter()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);
        await hub.Sandbox.SetFaultsAsync(new { errorRate = 1.0, errorStatus = 503 });
        try
        {
            // Act
            using var response = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

            // Assert
            var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
            problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-unavailable");
            response.Headers.RetryAfter.ShouldNotBeNull();
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task IssueModalToken_WhenAlloyRejectsTheKeyBeforeTheTenantIsProvisioned_ShouldAnswer503KeyRejectedAtOnce()
    {
        // Arrange: Alloy accepts none of the hub's keys, so the tenant's provisioning was deferred for it.
        await using var rejected = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:ApiKey"] = "alloy-key-nobody-issued-0123456789",
            ["Provisioning:InlineWait"] = "00:00:20",
        });
        var service = rejected.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("rejected");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Rejected Ltd" })).Dispose();
        var deferred = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
            t => t.GetProperty("alloy").GetProperty("lastError").GetString()?.Contains("rejected", StringComparison.OrdinalIgnoreCase) == true,
            "provisioning deferred because Alloy rejected the key",
            TimeSpan.FromSeconds(30));

        // Act
        var started = Stopwatch.GetTimestamp();
        using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        var elapsed = Stopwatch.GetElapsedTime(started);

        // Assert: the key is the cause, said at once rather than after the 20 s inline wait as provisioning-pending.
        deferred.State().ShouldNotBe("Provisioned");
        var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/alloy-key-rejected");
        response.Headers.RetryAfter.ShouldNotBeNull();
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task IssueModalToken_WhileAProvisioningAttemptIsInFlight_ShouldAskToRetrySoonNotWhenItsLeaseEnds()
    {
        // Arrange: the tenant's POST /users is held at Alloy, so its attempt stays in flight under a 2-minute lease.
        await using var held = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Provisioning:Lease"] = "00:02:00",
            ["Provisioning:InlineWait"] = "00:00:00.500",
        });
        using var sandbox = held.Sandbox;
        await sandbox.CloseGateAsync("POST", "/users", times: 1, cancellationToken: TestContext.Current.CancellationToken);
        var service = held.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("inflight");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "In Flight Ltd" })).Dispose();
        await Poll.UntilAsync(ct => sandbox.HeldAtGateAsync(ct), n => n == 1, "the provisioning attempt held at Alloy");

        // Act
        using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        await sandbox.OpenGateAsync(TestContext.Current.CancellationToken);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/provisioning-pending");
        response.Headers.RetryAfter!.Delta!.Value.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task IssueModalToken_WhenTheTenantIsUnknown_ShouldAnswer404()
    {
        // Act
        using var response = await hub.CreateServiceClient().PostAsync("/api/tenants/nobody-here/alloy-token", null);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/tenant-not-found");
    }

    [Fact]
    public async Task IssueModalToken_WhenAnotherTenantsMemberOrAnAdminAsks_ShouldAnswer403WithoutAToken()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);

        // Act
        using var other = await hub.CreateMemberClient("another-tenant").PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        using var admin = await hub.CreateAdminClient().PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        using var anonymous = await hub.CreateAnonymousClient().PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        (await other.ReadProblemAsync(HttpStatusCode.Forbidden)).ToString().ShouldNotContain("token\"");
        await admin.ReadProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static JsonElement JwtPayload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }
}
