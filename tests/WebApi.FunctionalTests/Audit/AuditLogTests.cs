using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Audit;

/// <summary>
/// <c>GET /api/admin/audit</c> and what gets recorded. Signup, provisioning and retry are written with their own
/// transaction (visible at once); tokens, refreshes and admin queries go through the buffered writer (polled).
/// </summary>
public sealed class AuditLogTests(HubFactory hub)
{
    private const string ServiceActor = "development-service";
    private const string AdminActor = "development-admin";

    [Fact]
    public async Task SignUp_WhenANewTenantSignsUp_ShouldRecordTenantSignedUpByTheServiceKeyOnce()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("audit");

        // Act
        using (var first = await hub.SignUpAsync(tenantId, "Audit Ltd"))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using (var repeat = await hub.SignUpAsync(tenantId, "Audit Ltd"))
        {
            repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Assert: durable, so visible as soon as the signup answered.
        var entries = await AuditAsync($"tenantId={tenantId}&action=TenantSignedUp");
        var entry = entries.ShouldHaveSingleItem();
        entry.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        entry.GetProperty("actor").GetString().ShouldBe(ServiceActor);
        entry.GetProperty("actorKind").GetString().ShouldBe("Service");
        entry.GetProperty("detail").GetString()!.ShouldContain("Audit Ltd");
        entry.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        entry.GetProperty("id").GetInt64().ShouldBeGreaterThan(0);
        (DateTimeOffset.UtcNow - entry.GetProperty("at").GetDateTimeOffset()).ShouldBeLessThan(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Provisioning_WhenTheJobProvisionsATenant_ShouldRecordTenantProvisionedBySystem()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("audit");

        // Act
        var tenant = await hub.SignUpProvisionedAsync(tenantId);

        // Assert
        var entry = (await AuditAsync($"tenantId={tenantId}&action=TenantProvisioned")).ShouldHaveSingleItem();
        entry.GetProperty("actor").GetString().ShouldBe("system");
        entry.GetProperty("actorKind").GetString().ShouldBe("System");
        entry.GetProperty("detail").GetString()!.ShouldContain($"userId={tenant.UserId()}");
    }

    [Fact]
    public async Task IssueModalToken_WhenATokenIsIssued_ShouldRecordTokenIssuedWithoutAnyPartOfTheToken()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("audit");
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var subject = "member-" + Guid.NewGuid().ToString("N")[..8];
        var member = hub.CreateBearerClient(TestJwt.Create(tenantId: tenantId, extraClaims: new Dictionary<string, object> { ["sub"] = subject }));

        // Act
        using var response = await member.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var entries = await WaitForAuditAsync($"tenantId={tenantId}&action=TokenIssued", e => e.Count == 1, "the TokenIssued entry");
        var entry = entries.Single();
        entry.GetProperty("actor").GetString().ShouldBe(subject);
        entry.GetProperty("actorKind").GetString().ShouldBe("TenantMember");
        entry.GetProperty("detail").GetString()!.ShouldContain($"userId={tenant.UserId()}");

        var segments = token.Split('.');
        segments.Length.ShouldBe(3);
        var everything = await hub.CreateAdminClient().GetStringAsync($"/api/admin/audit?tenantId={tenantId}&limit=500");
        var wholeLog = await hub.CreateAdminClient().GetStringAsync("/api/admin/audit?limit=500");
        foreach (var json in new[] { everything, wholeLog })
        {
            json.ShouldNotContain(token);
            json.ShouldNotContain(segments[1]); // the payload
            json.ShouldNotContain(segments[2]); // the signature
        }
    }

    [Fact]
    public async Task IssueModalToken_WhenManyRequestsReuseOneToken_ShouldRecordOneTokenIssuedPerAnswer()
    {
        // Arrange
        const int requests = 50; // under the default budget of 60 tokens per tenant and minute
        var tenantId = HubApi.NewTenantId("audit-many");
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var member = hub.CreateBearerClient(TestJwt.Create(tenantId: tenantId));
        using (var first = await member.PostAsync($"/api/tenants/{tenantId}/alloy-token", null))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act: concurrent requests, all answered from the reuse window (the hit path that reuses the audit detail).
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            using var response = await member.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
            return response.StatusCode;
        }));

        // Assert
        answers.ShouldAllBe(status => status == HttpStatusCode.OK);
        var entries = await WaitForAuditAsync($"tenantId={tenantId}&action=TokenIssued", e => e.Count >= requests + 1, $"{requests + 1} TokenIssued entries");
        entries.Count.ShouldBe(requests + 1);
        entries.Select(e => e.GetProperty("detail").GetString()).Distinct().ShouldHaveSingleItem().ShouldStartWith($"userId={tenant.UserId()} expiresAt=");
        entries.Select(e => e.GetProperty("id").GetInt64()).Distinct().Count().ShouldBe(requests + 1);
    }

    [Fact]
    public async Task RefreshInstallations_WhenCalled_ShouldRecordInstallationsRefreshedWithTheCount()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("audit");
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var member = hub.CreateMemberClient(tenantId);
        var integrations = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        var integrationId = integrations.GetProperty("items")[0].GetProperty("integrationId").GetString()!;
        await hub.Sandbox.InstallAsync(tenant.UserId()!, integrationId);

        // Act
        using var response = await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var entry = (await WaitForAuditAsync($"tenantId={tenantId}&action=InstallationsRefreshed", e => e.Count == 1, "the refresh entry")).Single();
        entry.GetProperty("detail").GetString().ShouldBe("1 installation(s)");
        entry.GetProperty("actorKind").GetString().ShouldBe("TenantMember");
    }

    [Fact]
    public async Task RetryProvisioning_WhenAnAdminRetries_ShouldRecordProvisioningRetriedByTheAdmin()
    {
        // Arrange: Alloy refuses the create permanently once, so the tenant ends Failed.
        var tenantId = HubApi.NewTenantId("audit");
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 400, times = 1 } } });
        try
        {
            using var signup = await hub.SignUpAsync(tenantId);
            await hub.WaitForStateAsync(tenantId, "Failed");
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }

        // Act
        using var retry = await hub.CreateAdminClient().PostAsync($"/api/tenants/{tenantId}/provisioning/retry", null);

        // Assert
        retry.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var entry = (await AuditAsync($"tenantId={tenantId}&action=ProvisioningRetried")).ShouldHaveSingleItem();
        entry.GetProperty("actor").GetString().ShouldBe(AdminActor);
        entry.GetProperty("actorKind").GetString().ShouldBe("Admin");
        await hub.WaitForStateAsync(tenantId, "Provisioned");
        (await AuditAsync($"tenantId={tenantId}&action=TenantProvisioned")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AdminQueries_WhenAnAdminQueries_ShouldRecordAdminQueryWithTheFilters()
    {
        // Arrange: an admin JWT with a subject of its own, to tell its entries from other tests'.
        var tenantId = HubApi.NewTenantId("audit");
        await hub.SignUpProvisionedAsync(tenantId);
        var subject = "admin-" + Guid.NewGuid().ToString("N")[..8];
        var admin = hub.CreateBearerClient(TestJwt.Create(roles: ["integration-hub-admin"], extraClaims: new Dictionary<string, object> { ["sub"] = subject }));

        // Act
        (await admin.GetAsync("/api/admin/tenants?state=Provisioned")).Dispose();
        (await admin.GetAsync($"/api/admin/installations?tenantId={tenantId}&enabled=true")).Dispose();
        (await admin.GetAsync("/api/admin/installations/000000000000000000000000/history")).Dispose();
        (await admin.GetAsync("/api/admin/audit?action=TokenIssued")).Dispose();

        // Assert
        var entries = await WaitForAuditAsync(
            "action=AdminQuery",
            e => e.Count(x => x.GetProperty("actor").GetString() == subject) == 4,
            "the four AdminQuery entries");
        var mine = entries.Where(x => x.GetProperty("actor").GetString() == subject).ToList();
        mine.ShouldAllBe(x => x.GetProperty("actorKind").GetString() == "Admin");
        mine.Select(x => x.GetProperty("detail").GetString()).ShouldBe(
            [
                "audit action=TokenIssued",
                "installation history installationId=000000000000000000000000",
                $"installations tenantId={tenantId} enabled=true",
                "tenants state=Provisioned",
            ],
            ignoreOrder: true);
        mine.Single(x => x.GetProperty("detail").GetString()!.StartsWith("installations ", StringComparison.Ordinal))
            .GetProperty("tenantId").GetString().ShouldBe(tenantId);
        mine.Single(x => x.GetProperty("detail").GetString()!.StartsWith("tenants ", StringComparison.Ordinal))
            .GetProperty("tenantId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task QueryAuditLog_WhenFilteredByTenantAndAction_ShouldReturnOnlyMatchingEntriesNewestFirst()
    {
        // Arrange
        var first = HubApi.NewTenantId("audit");
        var second = HubApi.NewTenantId("audit");
        await hub.SignUpProvisionedAsync(first);
        await hub.SignUpProvisionedAsync(second);

        // Act
        var byTenant = await AuditAsync($"tenantId={first}");
        var byAction = await AuditAsync("action=TenantSignedUp");
        var byBoth = await AuditAsync($"tenantId={second}&action=TenantProvisioned");

        // Assert
        byTenant.ShouldNotBeEmpty();
        byTenant.ShouldAllBe(e => e.GetProperty("tenantId").GetString() == first);
        byTenant.Select(e => e.GetProperty("action").GetString()).ShouldContain("TenantSignedUp");
        byTenant.Select(e => e.GetProperty("action").GetString()).ShouldContain("TenantProvisioned");
        byTenant.Select(e => e.GetProperty("id").GetInt64()).ShouldBeInOrder(SortDirection.Descending);
        byAction.ShouldAllBe(e => e.GetProperty("action").GetString() == "TenantSignedUp");
        byAction.Select(e => e.GetProperty("tenantId").GetString()).ShouldContain(first);
        byAction.Select(e => e.GetProperty("tenantId").GetString()).ShouldContain(second);
        var both = byBoth.ShouldHaveSingleItem();
        both.GetProperty("tenantId").GetString().ShouldBe(second);
        both.GetProperty("action").GetString().ShouldBe("TenantProvisioned");
    }

    [Fact]
    public async Task QueryAuditLog_WhenPagedTwoAtATime_ShouldVisitEveryEntryOnceNewestFirst()
    {
        // Arrange: five buffered entries of one tenant.
        var tenantId = HubApi.NewTenantId("audit");
        await hub.SignUpProvisionedAsync(tenantId);
        var service = hub.CreateServiceClient();
        for (var i = 0; i < 5; i++)
        {
            using var response = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var filter = $"tenantId={tenantId}&action=TokenIssued";
        var all = await WaitForAuditAsync(filter, e => e.Count == 5, "five TokenIssued entries");

        // Act
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await hub.CreateAdminClient().GetFromJsonAsync<JsonElement>(
                $"/api/admin/audit?{filter}&limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        // Assert
        pages.ShouldBe(3);
        seen.ShouldBe(all.Select(e => e.GetProperty("id").GetInt64()).ToList());
        seen.ShouldBeInOrder(SortDirection.Descending);
        all.ShouldAllBe(e => e.GetProperty("actor").GetString() == ServiceActor && e.GetProperty("actorKind").GetString() == "Service");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("action=Bogus", "action")]
    [InlineData("action=99", "action")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("tenantId=bad%20id", "tenantId")]
    public async Task QueryAuditLog_WhenAParameterIsInvalid_ShouldAnswer400NamingIt(string query, string field)
    {
        // Act
        using var response = await hub.CreateAdminClient().GetAsync($"/api/admin/audit?{query}");

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task QueryAuditLog_WhenNotCalledByAnAdmin_ShouldAnswer403Or401()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("audit");

        // Act
        using var service = await hub.CreateServiceClient().GetAsync("/api/admin/audit");
        using var member = await hub.CreateMemberClient(tenantId).GetAsync($"/api/admin/audit?tenantId={tenantId}");
        using var anonymous = await hub.CreateAnonymousClient().GetAsync("/api/admin/audit");

        // Assert
        await service.ReadProblemAsync(HttpStatusCode.Forbidden);
        await member.ReadProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<List<JsonElement>> AuditAsync(string query)
    {
        var body = await hub.CreateAdminClient().GetFromJsonAsync<JsonElement>($"/api/admin/audit?limit=500&{query}");
        return body.GetProperty("items").EnumerateArray().ToList();
    }

    private Task<List<JsonElement>> WaitForAuditAsync(string query, Func<List<JsonElement>, bool> done, string because) =>
        Poll.UntilAsync(() => AuditAsync(query), done, because);
}
