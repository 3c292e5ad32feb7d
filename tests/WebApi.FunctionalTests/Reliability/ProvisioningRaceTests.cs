using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

public sealed class ProvisioningRaceTests
{
    [Fact]
    public async Task TwoWorkers_WhenBothCallAlloyForOneTenant_ShouldEndWithOneUser()
    {
        // Arrange: no background workers; a lease shorter than Alloy's latency, so a second worker takes over
        // while the first is still waiting for Alloy, and both send POST /users.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:WorkerCount"] = "0",
            ["Provisioning:Lease"] = "00:00:00.200",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("race2");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Race" })).Dispose();
        long accountId;
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            accountId = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AlloyAccounts
                .Where(a => a.TenantId == Domain.Tenants.TenantId.From(tenantId)).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        await hub.Sandbox.SetFaultsAsync(new { latencyMs = 800 });
        var before = await hub.Sandbox.CallsAsync("POST /users");

        // Act
        var first = Task.Run(() => ProvisionAsync(hub, accountId));
        await Task.Delay(400, TestContext.Current.CancellationToken); // the experiment: start the second after the first's lease ended
        var second = Task.Run(() => ProvisionAsync(hub, accountId));
        var outcomes = await Task.WhenAll(first, second);
        await hub.Sandbox.ClearFaultsAsync();

        // Assert
        outcomes.ShouldAllBe(o => o.IsSuccess);
        (await hub.Sandbox.CallsAsync("POST /users") - before).ShouldBe(2);
        var users = await hub.Sandbox.UsersAsync(tenantId);
        users.Count.ShouldBe(1);
        var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");
        tenant.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
        tenant.GetProperty("alloy").GetProperty("userId").GetString().ShouldBe(users[0].UserId);
    }

    private static async Task<Domain.Common.Result<ProvisioningOutcome>> ProvisionAsync(ConfiguredHub hub, long accountId)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProvisionAlloyUserCommand(accountId));
    }
}
