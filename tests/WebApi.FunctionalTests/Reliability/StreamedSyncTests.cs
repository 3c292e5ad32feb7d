using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Installations.SyncInstallations;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

/// <summary>
/// The sync and the refresh read Alloy's account-wide listing as a stream and compare it a chunk at a time: with
/// thousands of installations of many users around the tenants', they must still find new, changed and removed ones.
/// </summary>
public sealed class StreamedSyncTests
{
    [Fact]
    public async Task Sync_WhenTheAccountListsThousandsOfInstallations_ShouldRecordNewChangedAndRemovedOnesOfItsTenants()
    {
        // Arrange: two tenants, one installing before 6,000 installations of 2,000 other users are listed and one after.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var early = HubApi.NewTenantId("early");
        var late = HubApi.NewTenantId("late");
        var earlyUser = await ProvisionAsync(service, early);
        var lateUser = await ProvisionAsync(service, late);
        var integrationIds = await IntegrationIdsAsync(service, early);
        var earlyKept = await hub.Sandbox.InstallAsync(earlyUser, integrationIds[0]);
        var earlyDropped = await hub.Sandbox.InstallAsync(earlyUser, integrationIds[1]);
        await SeedAsync(hub, users: 2000, installationsPerUser: 3);
        var lateFirst = await hub.Sandbox.InstallAsync(lateUser, integrationIds[0]);

        // Act: a first sync; then changes in Alloy on both sides of the noise; a second sync.
        var first = await SyncAsync(hub);
        await hub.Sandbox.AlloyAsync(HttpMethod.Put, $"/installations/{earlyKept}/deactivate");
        await hub.Sandbox.AlloyAsync(HttpMethod.Delete, $"/installations/{earlyDropped}");
        var lateSecond = await hub.Sandbox.InstallAsync(lateUser, integrationIds[1]);
        var second = await SyncAsync(hub);
        var third = await SyncAsync(hub);

        // Assert
        first.Installations.ShouldBe(3);
        first.Tenants.ShouldBe(2);
        second.Installations.ShouldBe(3);
        third.Tenants.ShouldBe(2);
        var earlyRecords = await RecordsAsync(service, early);
        earlyRecords.Count.ShouldBe(2);
        earlyRecords[earlyKept].GetProperty("enabled").GetBoolean().ShouldBeFalse();
        earlyRecords[earlyDropped].GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var lateRecords = await RecordsAsync(service, late);
        lateRecords.Keys.Order().ShouldBe(new[] { lateFirst, lateSecond }.Order());
        lateRecords.Values.ShouldAllBe(r => r.GetProperty("removedAt").ValueKind == JsonValueKind.Null);
        var admin = hub.CreateClient(HubFactory.AdminKey);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/installations/{earlyKept}/history", TestContext.Current.CancellationToken);
        history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("change").GetString()).ShouldBe(["Installed", "Disabled"]);
    }

    [Fact]
    public async Task Refresh_WhenTheAccountListsThousandsOfInstallations_ShouldRecordOnlyTheTenantsOwn()
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("refresh");
        var userId = await ProvisionAsync(service, tenantId);
        var integrationIds = await IntegrationIdsAsync(service, tenantId);
        await SeedAsync(hub, users: 1500, installationsPerUser: 4);
        var installed = await hub.Sandbox.InstallAsync(userId, integrationIds[2]);

        // Act
        using var response = await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null, TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("installationId").GetString()).ShouldBe([installed]);
    }

    private static async Task SeedAsync(ConfiguredHub hub, int users, int installationsPerUser)
    {
        using var response = await hub.Sandbox.Http.PostAsJsonAsync(
            SandboxClient.MountedRoot + "/_sandbox/seed",
            new { prefix = "noise", users, installationsPerUser },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<List<string>> IntegrationIdsAsync(HttpClient service, string tenantId)
    {
        var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", TestContext.Current.CancellationToken);
        return integrations.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("integrationId").GetString()!).ToList();
    }

    private static async Task<Dictionary<string, JsonElement>> RecordsAsync(HttpClient service, string tenantId)
    {
        var body = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", TestContext.Current.CancellationToken);
        return body.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("installationId").GetString()!, r => r.Clone());
    }

    private static async Task<string> ProvisionAsync(HttpClient service, string tenantId)
    {
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = tenantId }, TestContext.Current.CancellationToken)).Dispose();
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
