using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Installations;

public sealed class InstallationTests(HubFactory hub)
{
    [Fact]
    public async Task ListIntegrations_WhenProvisioned_ShouldListTheCatalogueWithInstallFlags()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        await hub.SignUpProvisionedAsync(tenantId);

        // Act
        var body = await hub.CreateMemberClient(tenantId).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");

        // Assert
        var items = body.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBeGreaterThanOrEqualTo(3);
        items.Select(i => i.GetProperty("name").GetString()).ShouldContain("Shopify");
        items.ShouldAllBe(i => !i.GetProperty("installed").GetBoolean());
    }

    [Fact]
    public async Task Refresh_AfterAnInstallInAlloy_ShouldRecordTheInstallationWithHistory()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var member = hub.CreateMemberClient(tenantId);
        var integrations = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        var shopify = integrations.GetProperty("items").EnumerateArray().First(i => i.GetProperty("name").GetString() == "Shopify");
        var integrationId = shopify.GetProperty("integrationId").GetString()!;
        var installationId = await hub.Sandbox.InstallAsync(tenant.UserId()!, integrationId);

        // Act: the frontend's callback said success: true (twice, as Alloy's SDK may).
        using var first = await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);
        using var second = await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations");
        var installation = listed.GetProperty("items").EnumerateArray().Single();
        installation.GetProperty("installationId").GetString().ShouldBe(installationId);
        installation.GetProperty("integrationId").GetString().ShouldBe(integrationId);
        installation.GetProperty("integrationName").GetString().ShouldBe("Shopify");
        installation.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        installation.GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var history = await hub.CreateAdminClient().GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history");
        history.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("change").GetString()).ShouldBe(["Installed"]);

        var refreshed = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        refreshed.GetProperty("items").EnumerateArray().First(i => i.GetProperty("integrationId").GetString() == integrationId)
            .GetProperty("installed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Refresh_WhenAnInstallationIsDisabledThenRemovedInAlloy_ShouldAppendHistoryAndMarkItRemoved()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        var tenant = await hub.SignUpProvisionedAsync(tenantId);
        var member = hub.CreateMemberClient(tenantId);
        var installationId = await hub.Sandbox.InstallAsync(tenant.UserId()!, await FirstIntegrationIdAsync(member, tenantId));
        (await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null)).Dispose();

        // Act
        await hub.Sandbox.AlloyAsync(HttpMethod.Put, $"/installations/{installationId}/deactivate");
        (await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null)).Dispose();
        await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/installations/{installationId}");
        using var last = await member.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);

        // Assert
        var body = await last.Content.ReadFromJsonAsync<JsonElement>();
        var installation = body.GetProperty("items").EnumerateArray().Single();
        installation.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        installation.GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var history = await hub.CreateAdminClient().GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history");
        history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("change").GetString()).ShouldBe(["Installed", "Disabled", "Removed"]);
        history.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("source").GetString() == "FrontendRefresh");
    }

    [Fact]
    public async Task Installations_OfAnotherTenant_ShouldNeverBeVisible()
    {
        // Arrange
        var owner = HubApi.NewTenantId("owner");
        var other = HubApi.NewTenantId("other");
        var ownerTenant = await hub.SignUpProvisionedAsync(owner);
        await hub.SignUpProvisionedAsync(other);
        var ownerClient = hub.CreateMemberClient(owner);
        await hub.Sandbox.InstallAsync(ownerTenant.UserId()!, await FirstIntegrationIdAsync(ownerClient, owner));
        (await ownerClient.PostAsync($"/api/tenants/{owner}/installations/refresh", null)).Dispose();
        var otherClient = hub.CreateMemberClient(other);

        // Act
        using var otherRefresh = await otherClient.PostAsync($"/api/tenants/{other}/installations/refresh", null);
        var otherList = await otherClient.GetFromJsonAsync<JsonElement>($"/api/tenants/{other}/installations");
        using var crossRead = await otherClient.GetAsync($"/api/tenants/{owner}/installations");
        using var crossRefresh = await otherClient.PostAsync($"/api/tenants/{owner}/installations/refresh", null);

        // Assert
        otherRefresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        otherList.GetProperty("items").GetArrayLength().ShouldBe(0);
        await crossRead.ReadProblemAsync(HttpStatusCode.Forbidden);
        await crossRefresh.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetInstallations_WhenTenantIsUnknown_ShouldAnswer404()
    {
        // Act
        using var response = await hub.CreateServiceClient().GetAsync("/api/tenants/unknown-tenant/installations");

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refresh_WhenCalledByAnAdmin_ShouldAnswer403()
    {
        // Act
        using var response = await hub.CreateAdminClient().PostAsync("/api/tenants/any-tenant/installations/refresh", null);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<string> FirstIntegrationIdAsync(HttpClient member, string tenantId)
    {
        var integrations = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        return integrations.GetProperty("items")[0].GetProperty("integrationId").GetString()!;
    }
}
