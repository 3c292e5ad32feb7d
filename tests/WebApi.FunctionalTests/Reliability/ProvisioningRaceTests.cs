using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

/// <summary>
/// Two workers provisioning one tenant, ordered by the sandbox's gate rather than by the clock: worker A's POST /users
/// reaches Alloy (the user is created) but its answer is held; A's lease ends; worker B takes the account over, is refused
/// as a duplicate, and adopts A's user; then A's answer arrives and A loses the race to commit.
/// </summary>
public sealed class ProvisioningRaceTests
{
    private const string CreateUser = "POST /users";
    private const string GetUser = "GET /users/{uid}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoWorkers_WhenTheFirstIsHeldAtAlloyPastItsLease_ShouldEndWithOneUserAdoptedByTheSecond()
    {
        // Arrange: no background workers, so A and B below are the only ones; a short lease, observed below.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:WorkerCount"] = "0",
            ["Provisioning:Lease"] = "00:00:01",
        });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("race2");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Race" }, Ct)).Dispose();
        var accountId = (await AccountAsync(hub, tenantId)).Id;
        var before = await sandbox.StatsAsync(Ct);
        await sandbox.CloseGateAsync("POST", "/users", times: 1, afterHandling: true, Ct);

        Task<Result<ProvisioningOutcome>> first;
        Result<ProvisioningOutcome> second;
        AlloyAccount leased;
        IReadOnlyList<SandboxUser> usersWhileAIsHeld;
        try
        {
            // Act 1: A takes the lease and calls Alloy; Alloy creates the user and the gate holds the answer.
            first = Task.Run(() => ProvisionAsync(hub, accountId), Ct);
            await Poll.UntilAsync(ct => sandbox.HeldAtGateAsync(ct), held => held == 1, "worker A's POST /users to be held after Alloy handled it");
            usersWhileAIsHeld = await sandbox.UsersAsync(tenantId, Ct);
            leased = await AccountAsync(hub, tenantId);

            // Act 2: A's lease ends by the hub's own clock, then B runs to completion while A still waits for Alloy.
            var time = hub.Services.GetRequiredService<TimeProvider>();
            await Poll.UntilAsync(() => time.GetUtcNow() >= leased.NextAttemptAt, "worker A's lease to end");
            second = await ProvisionAsync(hub, accountId);
        }
        finally
        {
            // Act 3: A's answer arrives.
            await sandbox.OpenGateAsync(CancellationToken.None);
        }

        var firstOutcome = await first;
        var after = await sandbox.StatsAsync(Ct);

        // Assert: A held the lease while Alloy created its user.
        leased.State.ShouldBe(ProvisioningState.Provisioning);
        leased.Attempts.ShouldBe(1);
        usersWhileAIsHeld.Count.ShouldBe(1);

        // B took over, was refused as a duplicate and adopted A's user (one create refused, one lookup by username).
        second.IsSuccess.ShouldBeTrue();
        second.Value.Attempted.ShouldBeTrue();
        second.Value.State.ShouldBe(ProvisioningState.Provisioned);
        (after.CallsTo(CreateUser) - before.CallsTo(CreateUser)).ShouldBe(2);
        (after.CallsTo(GetUser) - before.CallsTo(GetUser)).ShouldBe(1);

        // A lost the race to commit and reports the account as B left it.
        firstOutcome.IsSuccess.ShouldBeTrue();
        firstOutcome.Value.Attempted.ShouldBeFalse();
        firstOutcome.Value.State.ShouldBe(ProvisioningState.Provisioned);

        // Exactly one Alloy user, and it is the tenant's.
        var users = await sandbox.UsersAsync(tenantId, Ct);
        users.Count.ShouldBe(1);
        users[0].UserId.ShouldBe(usersWhileAIsHeld[0].UserId);
        var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", Ct);
        tenant.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
        tenant.GetProperty("alloy").GetProperty("userId").GetString().ShouldBe(users[0].UserId);
        var account = await AccountAsync(hub, tenantId);
        account.Attempts.ShouldBe(2);
    }

    private static async Task<AlloyAccount> AccountAsync(ConfiguredHub hub, string tenantId)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AlloyAccounts.AsNoTracking()
            .SingleAsync(a => a.TenantId == TenantId.From(tenantId), Ct);
    }

    private static async Task<Result<ProvisioningOutcome>> ProvisionAsync(ConfiguredHub hub, long accountId)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProvisionAlloyUserCommand(accountId), Ct);
    }
}
