using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>
/// Users created with Alloy's development key stay in development. Switching the hub to the production key must
/// provision production users (on demand and by a throttled backfill), never reuse development ids.
/// </summary>
public sealed class EnvironmentSwitchTests
{
    [Fact]
    public async Task Switch_FromDevelopmentToProduction_ShouldProvisionSeparateProductionUsers()
    {
        // Arrange: two tenants provisioned in development (the sandbox's default keys: one per environment).
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:Environment"] = "Development",
            ["Provisioning:BackfillBatchSize"] = "1",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var first = HubApi.NewTenantId("switch-a");
        var second = HubApi.NewTenantId("switch-b");
        foreach (var id in new[] { first, second })
        {
            (await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = id })).Dispose();
        }

        var devFirst = await WaitForAsync(service, first, "Development");
        var devSecond = await WaitForAsync(service, second, "Development");

        // Act 1: the operator switches to the production key; a token request for the first tenant comes in.
        hub.Reconfigure(new Dictionary<string, string?> { ["Alloy:Environment"] = "Production" });
        using var token = await service.PostAsync($"/api/tenants/{first}/alloy-token", null);

        // Assert 1
        token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        var prodFirst = await WaitForAsync(service, first, "Production");
        UserId(prodFirst).ShouldNotBe(UserId(devFirst));
        (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetString().ShouldBe(UserId(prodFirst));

        // Act 2: the reconciler backfills the rest, one tenant per run here.
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileProvisioningCommand(), TestContext.Current.CancellationToken);
        }

        var prodSecond = await WaitForAsync(service, second, "Production");

        // Assert 2
        UserId(prodSecond).ShouldNotBe(UserId(devSecond));
        var stats = await hub.CreateClient().GetFromJsonAsync<JsonElement>("/sandbox/alloy/_sandbox/stats");
        stats.GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(2);
        stats.GetProperty("usersByEnvironment").GetProperty("Production").GetInt32().ShouldBe(2);
    }

    private static string UserId(JsonElement tenant) => tenant.GetProperty("alloy").GetProperty("userId").GetString()!;

    private static Task<JsonElement> WaitForAsync(HttpClient service, string tenantId, string environment) =>
        Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
            t => t.GetProperty("alloy").ValueKind == JsonValueKind.Object
                 && t.GetProperty("alloy").GetProperty("environment").GetString() == environment
                 && t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned",
            $"{tenantId} provisioned in {environment}");
}
