using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Admin;

public sealed class AdminQueryTests(HubFactory hub)
{
    [Fact]
    public async Task ListTenants_WhenPaged_ShouldVisitEveryTenantOnceInOrder()
    {
        // Arrange
        var prefix = HubApi.NewTenantId("page");
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in ids)
        {
            (await hub.SignUpAsync(id)).Dispose();
        }

        var admin = hub.CreateAdminClient();

        // Act
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/tenants?limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("tenantId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 1000);

        // Assert
        seen.Distinct().Count().ShouldBe(seen.Count);
        seen.Where(s => s.StartsWith(prefix, StringComparison.Ordinal)).ShouldBe(ids);
    }

    [Fact]
    public async Task ListTenants_WhenFilteredByState_ShouldOnlyReturnThatState()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);

        // Act
        var body = await hub.CreateAdminClient().GetFromJsonAsync<JsonElement>("/api/admin/tenants?state=Provisioned&limit=500");

        // Assert
        var items = body.GetProperty("items").EnumerateArray().ToList();
        items.ShouldAllBe(t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned");
        items.Select(t => t.GetProperty("tenantId").GetString()).ShouldContain(tenantId);
    }

    [Theory]
    [InlineData("/api/admin/tenants?limit=0", "limit")]
    [InlineData("/api/admin/tenants?limit=501", "limit")]
    [InlineData("/api/admin/tenants?limit=abc", "limit")]
    [InlineData("/api/admin/tenants?state=Bogus", "state")]
    [InlineData("/api/admin/tenants?cursor=zzz", "cursor")]
    [InlineData("/api/admin/installations?enabled=maybe", "enabled")]
    [InlineData("/api/admin/installations?tenantId=bad%20id", "tenantId")]
    [InlineData("/api/admin/installations?cursor=%21%21", "cursor")]
    public async Task AdminQueries_WhenAParameterIsInvalid_ShouldAnswer400NamingIt(string url, string field)
    {
        // Act
        using var response = await hub.CreateAdminClient().GetAsync(url);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task QueryInstallations_WhenFilteredAndExportedAsCsv_ShouldReturnTheTenantsRows()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("csv");
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var member = hub.CreateMemberClient(tenantId);
        var integrations = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        var ids = integrations.GetProperty("items").EnumerateArray().Take(2).Select(i => i.GetProperty("integrationId").GetString()!).ToList();
        foreach (var id in ids)
        {
            await hub.Sandbox.InstallAsync(tenant.UserId()!, id);
        }

        (await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null)).Dispose();
        var admin = hub.CreateAdminClient();

        // Act
        var json = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/installations?tenantId={tenantId}&integrationId={ids[0]}&enabled=true");
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/installations?tenantId={tenantId}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csv = await admin.SendAsync(csvRequest);

        // Assert
        var rows = json.GetProperty("items").EnumerateArray().ToList();
        rows.Count.ShouldBe(1);
        rows[0].GetProperty("tenantId").GetString().ShouldBe(tenantId);
        rows[0].GetProperty("integrationId").GetString().ShouldBe(ids[0]);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("tenantId,installationId,integrationId");
        lines.Length.ShouldBe(3);
        lines.Skip(1).ShouldAllBe(l => l.StartsWith(tenantId + ",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstallationHistory_WhenUnknown_ShouldAnswer404()
    {
        // Act
        using var response = await hub.CreateAdminClient().GetAsync("/api/admin/installations/000000000000000000000000/history");

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/installation-not-found");
    }

    [Theory]
    [InlineData("/api/admin/tenants")]
    [InlineData("/api/admin/installations")]
    [InlineData("/api/admin/installations/abc/history")]
    public async Task AdminRoutes_WhenCalledByAServiceKeyOrATenantMember_ShouldAnswer403(string url)
    {
        // Act
        using var service = await hub.CreateServiceClient().GetAsync(url);
        using var member = await hub.CreateMemberClient("some-tenant").GetAsync(url);
        using var anonymous = await hub.CreateAnonymousClient().GetAsync(url);

        // Assert
        await service.ReadProblemAsync(HttpStatusCode.Forbidden);
        await member.ReadProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminRoutes_WhenCalledWithAnAdminJwt_ShouldAnswer200()
    {
        // Act
        using var response = await hub.CreateBearerClient(TestJwt.ForAdmin()).GetAsync("/api/admin/tenants?limit=1");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
