using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUserBatch;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Provisioning;

/// <summary>
/// Batch provisioning over HTTP against the sandbox (docs/alloy-api.md, U6): signup bursts and the reconciler's backfill
/// go through <c>POST /users/batch</c>, and every account ends as the single path would leave it: one Alloy user per
/// tenant, users that already exist adopted, an invalid username Failed with Alloy's reason, a failing batch route
/// replaced by single creates.
/// </summary>
public sealed class BatchProvisioningTests
{
    private const string BatchCreate = "POST /users/batch";
    private const string SingleCreate = "POST /users";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignUpBurst_WhenAlloyIsSlow_ShouldProvisionEveryTenantThroughBatchCallsWithOneUserEach()
    {
        // Arrange: Alloy answers in 50 ms, so single attempts drain slower than signups arrive.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        await sandbox.SetFaultsAsync(new { latencyMs = 50 }, Ct);
        var tenantIds = Enumerable.Range(0, 300).Select(_ => HubApi.NewTenantId("burst")).ToList();

        // Act
        await Parallel.ForEachAsync(tenantIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (id, ct) =>
        {
            using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = $"Burst {id}" }, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        });
        var accounts = await Poll.UntilAsync(
            ct => AccountsAsync(hub, tenantIds, ct),
            a => a.Count == 300 && a.All(x => x.State == ProvisioningState.Provisioned),
            "all 300 tenants to be provisioned",
            TimeSpan.FromMinutes(2));

        // Assert
        var stats = await sandbox.StatsAsync(Ct);
        stats.CallsTo(BatchCreate).ShouldBeGreaterThan(0);
        var users = await sandbox.UsersAsync("burst-", Ct);
        users.Count.ShouldBe(300);
        users.Select(u => u.Username).ShouldBe(tenantIds, ignoreOrder: true);
        accounts.Select(a => a.UserId).ShouldBe(users.Select(u => u.UserId), ignoreOrder: true);
    }

    [Fact]
    public async Task OneSignup_WhenNothingElseIsDue_ShouldTakeTheSingleCreate()
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("alone");

        // Act
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Alone" }, Ct)).Dispose();
        await Poll.UntilAsync(ct => AccountsAsync(hub, [tenantId], ct), a => a.Count == 1 && a[0].State == ProvisioningState.Provisioned, "the tenant to be provisioned");

        // Assert
        var stats = await sandbox.StatsAsync(Ct);
        stats.CallsTo(SingleCreate).ShouldBe(1);
        stats.CallsTo(BatchCreate).ShouldBe(0);
    }

    [Fact]
    public async Task Batch_WhenSomeUsernamesExistAtAlloy_ShouldAdoptThemWithoutDuplicates()
    {
        // Arrange: no background workers; the test runs the batch job's command itself.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true", ["Hangfire:WorkerCount"] = "0" });
        using var sandbox = hub.Sandbox;
        var tenantIds = await SignUpAsync(hub, "adopt", 12);
        var existing = new Dictionary<string, string>();
        foreach (var id in tenantIds.Take(3))
        {
            existing[id] = await sandbox.CreateUserAsync(id, "Created earlier", cancellationToken: Ct);
        }

        var before = await sandbox.StatsAsync(Ct);

        // Act
        var leased = await RunBatchAsync(hub, tenantIds);

        // Assert
        leased.ShouldBe(12);
        var accounts = await AccountsAsync(hub, tenantIds, Ct);
        accounts.ShouldAllBe(a => a.State == ProvisioningState.Provisioned);
        foreach (var (tenantId, userId) in existing)
        {
            accounts.Single(a => a.TenantId == TenantId.From(tenantId)).UserId.ShouldBe(userId);
        }

        var users = await sandbox.UsersAsync("adopt-", Ct);
        users.Count.ShouldBe(12);
        accounts.Select(a => a.UserId).ShouldBe(users.Select(u => u.UserId), ignoreOrder: true);
        var after = await sandbox.StatsAsync(Ct);
        (after.CallsTo(BatchCreate) - before.CallsTo(BatchCreate)).ShouldBe(1);
        (after.CallsTo(SingleCreate) - before.CallsTo(SingleCreate)).ShouldBe(0);
        await using var scope = hub.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEntries.AsNoTracking()
            .CountAsync(e => e.Action == Domain.Audit.AuditAction.TenantProvisioned, Ct);
        audit.ShouldBe(12);
    }

    [Fact]
    public async Task Batch_WhenAlloyRefusesOneUsernameAsInvalid_ShouldFailThatTenantWithTheReasonAndProvisionTheOthers()
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true", ["Hangfire:WorkerCount"] = "0" });
        using var sandbox = hub.Sandbox;
        var tenantIds = await SignUpAsync(hub, "invalid", 12);
        var refused = tenantIds[5];
        await sandbox.SetFaultsAsync(new { invalidUsernames = new[] { refused } }, Ct);

        // Act
        await RunBatchAsync(hub, tenantIds);

        // Assert
        var accounts = await AccountsAsync(hub, tenantIds, Ct);
        var failed = accounts.Single(a => a.TenantId == TenantId.From(refused));
        failed.State.ShouldBe(ProvisioningState.Failed);
        failed.LastError.ShouldNotBeNull();
        failed.LastError.ShouldContain("username is invalid");
        failed.UserId.ShouldBeNull();
        accounts.Where(a => a != failed).ShouldAllBe(a => a.State == ProvisioningState.Provisioned);
        (await sandbox.UsersAsync("invalid-", Ct)).Count.ShouldBe(11);
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenant = await service.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tenants/{refused}", Ct);
        tenant.State().ShouldBe("Failed");
    }

    [Fact]
    public async Task Batch_WhenTheBatchRouteFailsAfterCreatingTheUsers_ShouldFallBackToSingleCreatesAndAdoptThem()
    {
        // Arrange: Alloy creates the users, but every answer of the batch route (retries included) is lost to a 503.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true", ["Hangfire:WorkerCount"] = "0" });
        using var sandbox = hub.Sandbox;
        var tenantIds = await SignUpAsync(hub, "fallback", 12);
        await sandbox.SetFaultsAsync(new
        {
            scripted = new[] { new { method = "POST", path = "/users/batch", status = 503, times = 50, afterHandling = true } },
        }, Ct);
        var before = await sandbox.StatsAsync(Ct);

        // Act
        await RunBatchAsync(hub, tenantIds);

        // Assert
        var accounts = await AccountsAsync(hub, tenantIds, Ct);
        accounts.ShouldAllBe(a => a.State == ProvisioningState.Provisioned && a.Attempts == 1);
        var users = await sandbox.UsersAsync("fallback-", Ct);
        users.Count.ShouldBe(12);
        accounts.Select(a => a.UserId).ShouldBe(users.Select(u => u.UserId), ignoreOrder: true);
        var after = await sandbox.StatsAsync(Ct);
        (after.CallsTo(BatchCreate) - before.CallsTo(BatchCreate)).ShouldBeGreaterThan(0);
        (after.CallsTo(SingleCreate) - before.CallsTo(SingleCreate)).ShouldBe(12);
    }

    [Fact]
    public async Task Backfill_AfterASwitchToProduction_ShouldProvisionTheNewAccountsInABatch()
    {
        // Arrange: twelve tenants provisioned in development.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:Environment"] = "Development",
        });
        using var sandbox = hub.Sandbox;
        var tenantIds = await SignUpAsync(hub, "backfill", 12);
        await Poll.UntilAsync(
            ct => AccountsAsync(hub, tenantIds, ct),
            a => a.Count == 12 && a.All(x => x.State == ProvisioningState.Provisioned),
            "the tenants to be provisioned in development");
        var before = await sandbox.StatsAsync(Ct);

        // Act: the operator switches to the production key; the reconciler backfills.
        hub.Reconfigure(new Dictionary<string, string?> { ["Alloy:Environment"] = "Production" });
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileProvisioningCommand(), Ct);
        }

        var production = await Poll.UntilAsync(
            ct => AccountsAsync(hub, tenantIds, ct, AlloyEnvironment.Production),
            a => a.Count == 12 && a.All(x => x.State == ProvisioningState.Provisioned),
            "the tenants to be provisioned in production");

        // Assert
        var after = await sandbox.StatsAsync(Ct);
        (after.CallsTo(BatchCreate) - before.CallsTo(BatchCreate)).ShouldBeGreaterThan(0);
        (after.CallsTo(SingleCreate) - before.CallsTo(SingleCreate)).ShouldBe(0);
        var stats = await sandbox.GetStatsAsync(Ct);
        stats.GetProperty("usersByEnvironment").GetProperty("Production").GetInt32().ShouldBe(12);
        production.Select(a => a.UserId).Distinct().Count().ShouldBe(12);
    }

    private static async Task<List<string>> SignUpAsync(ConfiguredHub hub, string prefix, int count)
    {
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantIds = Enumerable.Range(0, count).Select(_ => HubApi.NewTenantId(prefix)).ToList();
        foreach (var id in tenantIds)
        {
            using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = $"Tenant {id}" }, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        return tenantIds;
    }

    private static async Task<int> RunBatchAsync(ConfiguredHub hub, IReadOnlyList<string> tenantIds)
    {
        var ids = (await AccountsAsync(hub, tenantIds, Ct)).Select(a => a.Id).ToList();
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProvisionAlloyUserBatchCommand(ids), Ct);
    }

    private static async Task<List<AlloyAccount>> AccountsAsync(
        ConfiguredHub hub, IReadOnlyList<string> tenantIds, CancellationToken cancellationToken, AlloyEnvironment environment = AlloyEnvironment.Development)
    {
        var ids = tenantIds.Select(TenantId.From).ToList();
        await using var scope = hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AlloyAccounts.AsNoTracking()
            .Where(a => ids.Contains(a.TenantId) && a.Environment == environment)
            .ToListAsync(cancellationToken);
    }
}
