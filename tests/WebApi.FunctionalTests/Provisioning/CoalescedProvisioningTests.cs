using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Provisioning;

/// <summary>
/// A signup asks for one drain of every due account instead of a job of its own (at most one drain waits per process):
/// a burst of concurrent signups still ends with every tenant provisioned exactly once, and a signup whose commit went
/// through but whose request to the job runner never happened is provisioned by the reconciler. Too few accounts due for
/// a batch (or batching off) are created side by side, not one after the other in the drain.
/// </summary>
public sealed class CoalescedProvisioningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentSignups_ShouldProvisionEveryTenantExactlyOnce()
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantIds = Enumerable.Range(0, 200).Select(_ => HubApi.NewTenantId("conc")).ToList();

        // Act
        await Parallel.ForEachAsync(tenantIds, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct }, async (id, ct) =>
        {
            using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = $"Concurrent {id}" }, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        });
        var accounts = await Poll.UntilAsync(
            ct => AccountsAsync(hub, tenantIds, ct),
            a => a.Count == 200 && a.All(x => x.State == ProvisioningState.Provisioned),
            "all 200 tenants to be provisioned",
            TimeSpan.FromMinutes(2));

        // Assert: one Alloy user per tenant, each recorded as provisioned once.
        var users = await sandbox.UsersAsync("conc-", Ct);
        users.Select(u => u.Username).ShouldBe(tenantIds, ignoreOrder: true);
        accounts.Select(a => a.UserId).ShouldBe(users.Select(u => u.UserId), ignoreOrder: true);
        await using var scope = hub.Services.CreateAsyncScope();
        var provisioned = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditAction.TenantProvisioned)
            .Select(e => e.TenantId)
            .ToListAsync(Ct);
        provisioned.Select(t => t?.Value).ShouldBe(tenantIds, ignoreOrder: true);
    }

    [Fact]
    public async Task Signup_WhenCommittedButNoJobWasEverQueued_ShouldBeProvisionedByTheReconciler()
    {
        // Arrange: the signup's rows as its transaction commits them, in a process that died before it asked for a job.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:ReconcilerCron"] = "*/2 * * * * *",
        });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = TenantId.From(HubApi.NewTenantId("orphan"));
        using (var before = await service.GetAsync($"/api/tenants/{tenantId.Value}", Ct))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        // Act
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Tenants.Add(Tenant.Create(tenantId, "Orphan", now));
            db.AlloyAccounts.Add(AlloyAccount.Create(tenantId, AlloyEnvironment.Development, string.Empty, now));
            await db.SaveChangesAsync(Ct);
        }

        var accounts = await Poll.UntilAsync(
            ct => AccountsAsync(hub, [tenantId.Value], ct),
            a => a.Count == 1 && a[0].State == ProvisioningState.Provisioned,
            "the orphaned signup to be provisioned",
            TimeSpan.FromMinutes(1));

        // Assert
        var users = await sandbox.UsersAsync(tenantId.Value, Ct);
        users.Count.ShouldBe(1);
        accounts[0].UserId.ShouldBe(users[0].UserId);
    }

    [Theory]
    [InlineData(true, 8)]
    [InlineData(false, 15)]
    public async Task Signups_WhenTooFewForABatchOrBatchingIsOff_ShouldCreateTheirUsersSideBySide(bool batchEnabled, int count)
    {
        // Arrange: Alloy holds every POST /users until the gate opens, so only calls made side by side can be held at once.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Provisioning:BatchEnabled"] = batchEnabled ? "true" : "false",
            ["Provisioning:MaxConcurrentDrains"] = "1",
            // Enough workers for every create to be in flight at once (Hangfire's default here is 10).
            ["Hangfire:WorkerCount"] = "20",
        });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        await sandbox.CloseGateAsync("POST", "/users", count, cancellationToken: Ct);
        var tenantIds = Enumerable.Range(0, count).Select(_ => HubApi.NewTenantId("side")).ToList();

        // Act
        await Parallel.ForEachAsync(tenantIds, new ParallelOptions { MaxDegreeOfParallelism = count, CancellationToken = Ct }, async (id, ct) =>
        {
            using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = $"Side {id}" }, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        });
        var held = await Poll.UntilAsync(
            ct => sandbox.HeldAtGateAsync(ct),
            h => h == count,
            $"{count} single creates held at Alloy at once",
            TimeSpan.FromSeconds(30));
        await sandbox.OpenGateAsync(Ct);

        // Assert: every create was in flight at once (not one after the other), and each tenant ends with one user.
        held.ShouldBe(count);
        var accounts = await Poll.UntilAsync(
            ct => AccountsAsync(hub, tenantIds, ct),
            a => a.Count == count && a.All(x => x.State == ProvisioningState.Provisioned),
            $"all {count} tenants to be provisioned",
            TimeSpan.FromMinutes(1));
        var users = await sandbox.UsersAsync("side-", Ct);
        users.Select(u => u.Username).ShouldBe(tenantIds, ignoreOrder: true);
        accounts.Select(a => a.UserId).ShouldBe(users.Select(u => u.UserId), ignoreOrder: true);
    }

    private static async Task<List<AlloyAccount>> AccountsAsync(ConfiguredHub hub, IReadOnlyList<string> tenantIds, CancellationToken cancellationToken)
    {
        var ids = tenantIds.Select(TenantId.From).ToList();
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AlloyAccounts.AsNoTracking()
            .Where(a => ids.Contains(a.TenantId) && a.Environment == AlloyEnvironment.Development)
            .ToListAsync(cancellationToken);
    }
}
