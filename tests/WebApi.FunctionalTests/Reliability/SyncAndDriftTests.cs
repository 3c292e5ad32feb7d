using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Installations.SyncInstallations;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

public sealed class SyncAndDriftTests
{
    private static ConfiguredHub CreateHub(string driftPolicy = "Reprovision") => new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
        ["Sync:DriftPolicy"] = driftPolicy,
        ["Sync:DriftGuardMinimum"] = "2",
        ["Sync:DriftGuardRatio"] = "0.5",
    });

    [Fact]
    public async Task Sync_ShouldRecordInstallsChangesAndRemovalsWithoutAnyFrontendRefresh()
    {
        // Arrange
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("sync");
        var userId = await ProvisionAsync(service, tenantId);
        var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
        var ids = integrations.GetProperty("items").EnumerateArray().Take(2).Select(i => i.GetProperty("integrationId").GetString()!).ToList();
        var kept = await hub.Sandbox.InstallAsync(userId, ids[0]);
        var dropped = await hub.Sandbox.InstallAsync(userId, ids[1]);

        // Act
        var firstRun = await SyncAsync(hub);
        await hub.Sandbox.AlloyAsync(HttpMethod.Put, $"/installations/{kept}/deactivate");
        await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/installations/{dropped}");
        var secondRun = await SyncAsync(hub);

        // Assert
        firstRun.Installations.ShouldBeGreaterThanOrEqualTo(2);
        secondRun.MissingUsers.ShouldBe(0);
        var records = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations")).GetProperty("items").EnumerateArray().ToList();
        records.Single(r => r.GetProperty("installationId").GetString() == kept).GetProperty("enabled").GetBoolean().ShouldBeFalse();
        records.Single(r => r.GetProperty("installationId").GetString() == dropped).GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var admin = hub.CreateClient(HubFactory.AdminKey);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/installations/{dropped}/history");
        history.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("change").GetString(), i.GetProperty("source").GetString()))
            .ShouldBe([("Installed", "Sync"), ("Removed", "Sync")]);
    }

    [Fact]
    public async Task Sync_WhenAnAlloyUserWasDeletedInAlloy_ShouldProvisionANewOne()
    {
        // Arrange
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("drift");
        var oldUserId = await ProvisionAsync(service, tenantId);
        await ProvisionAsync(service, HubApi.NewTenantId("bystander"));
        await ProvisionAsync(service, HubApi.NewTenantId("bystander"));
        await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/users/{oldUserId}");

        // Act
        var run = await SyncAsync(hub);
        var tenant = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
            t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned" && t.GetProperty("alloy").GetProperty("userId").GetString() != oldUserId,
            $"tenant {tenantId} provisioned again with a new Alloy user");

        // Assert
        run.MissingUsers.ShouldBe(1);
        run.DriftGuardTripped.ShouldBeFalse();
        var users = await hub.Sandbox.UsersAsync(tenantId);
        users.Single().UserId.ShouldBe(tenant.GetProperty("alloy").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Sync_WhenFlagPolicyAndAUserIsMissing_ShouldMarkTheAccountFailed()
    {
        // Arrange
        await using var hub = CreateHub("Flag");
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("flag");
        var userId = await ProvisionAsync(service, tenantId);
        await ProvisionAsync(service, HubApi.NewTenantId("bystander"));
        await ProvisionAsync(service, HubApi.NewTenantId("bystander"));
        await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/users/{userId}");

        // Act
        await SyncAsync(hub);
        var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");

        // Assert
        tenant.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Failed");
        tenant.GetProperty("alloy").GetProperty("lastError").GetString()!.ShouldContain("no longer exists");
    }

    [Fact]
    public async Task Sync_WhenMostUsersLookMissing_ShouldChangeNothing()
    {
        // Arrange: three users disappear at once (as if the key pointed at another Alloy environment).
        await using var hub = CreateHub();
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenants = new List<(string TenantId, string UserId)>();
        for (var i = 0; i < 4; i++)
        {
            var id = HubApi.NewTenantId("guard");
            tenants.Add((id, await ProvisionAsync(service, id)));
        }

        foreach (var (_, userId) in tenants.Take(3))
        {
            await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/users/{userId}");
        }

        // Act
        var run = await SyncAsync(hub);

        // Assert
        run.DriftGuardTripped.ShouldBeTrue();
        foreach (var (tenantId, userId) in tenants)
        {
            var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");
            tenant.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
            tenant.GetProperty("alloy").GetProperty("userId").GetString().ShouldBe(userId);
        }
    }

    private static async Task<string> ProvisionAsync(HttpClient service, string tenantId)
    {
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = tenantId })).Dispose();
        var tenant = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
            t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned",
            $"tenant {tenantId} to be Provisioned");
        return tenant.GetProperty("alloy").GetProperty("userId").GetString()!;
    }

    private static async Task<SyncInstallationsResult> SyncAsync(ConfiguredHub hub)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SyncInstallationsCommand(), TestContext.Current.CancellationToken);
        result.IsSuccess.ShouldBeTrue(result.Error?.Description);
        return result.Value;
    }
}
