using System.Runtime.ExceptionServices;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>
/// Gives a tenant its Alloy account in an environment when it has none there yet (a repeated signup, a token or
/// integration request, or the reconciler's backfill after the hub was switched from the development key to the
/// production key), and enqueues its provisioning. Several of them may try at once: the unique index on
/// (tenant, environment) keeps one account, and the losers use the one that won.
/// </summary>
/// <remarks>Many accounts created at once (a backfill) are provisioned in batches (<see cref="ProvisioningJobs"/>).</remarks>
public sealed class EnvironmentAccounts(
    Lazy<IApplicationDbContext> database, IBackgroundJobs jobs, IOptionsMonitor<ProvisioningOptions> options, TimeProvider time)
{
    private IApplicationDbContext Db => database.Value;

    /// <summary>The tenant's account in <paramref name="environment"/>, created (Pending, enqueued) if missing.</summary>
    /// <remarks>The caller has checked that the tenant exists and is not offboarded.</remarks>
    public async Task<AlloyAccount> EnsureAsync(
        TenantId tenantId, AlloyEnvironment environment, string usernamePrefix, CancellationToken cancellationToken) =>
        (await EnsureOneAsync(tenantId, environment, usernamePrefix, cancellationToken)).Account;

    /// <summary>
    /// Ensures an account in <paramref name="environment"/> for each tenant (in one insert when no other request
    /// creates one of them meanwhile). Returns how many this call created.
    /// </summary>
    /// <remarks>The caller has checked that the tenants exist and are not offboarded.</remarks>
    public async Task<int> EnsureAllAsync(
        IReadOnlyCollection<TenantId> tenantIds, AlloyEnvironment environment, string usernamePrefix, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var accounts = tenantIds.Select(id => AlloyAccount.Create(id, environment, usernamePrefix, now)).ToList();
        Db.AlloyAccounts.AddRange(accounts);
        if (await TrySaveAsync(cancellationToken) is null)
        {
            ProvisioningJobs.Enqueue(jobs, [.. accounts.Select(a => a.Id)], options.CurrentValue);
            return accounts.Count;
        }

        // Someone created one of them first: one at a time, each tolerating the same race.
        var created = 0;
        foreach (var tenantId in tenantIds)
        {
            if ((await EnsureOneAsync(tenantId, environment, usernamePrefix, cancellationToken)).Created)
            {
                created++;
            }
        }

        return created;
    }

    private async Task<(AlloyAccount Account, bool Created)> EnsureOneAsync(
        TenantId tenantId, AlloyEnvironment environment, string usernamePrefix, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, environment, cancellationToken) is { } existing)
        {
            return (existing, false);
        }

        var account = AlloyAccount.Create(tenantId, environment, usernamePrefix, time.GetUtcNow());
        Db.AlloyAccounts.Add(account);
        if (await TrySaveAsync(cancellationToken) is { } failure)
        {
            // The unique index kept the account another request created a moment earlier: that one is the account.
            var winner = await FindAsync(tenantId, environment, cancellationToken);
            if (winner is null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            return (winner, false);
        }

        jobs.EnqueueProvisioning(account.Id);
        return (account, true);
    }

    private Task<AlloyAccount?> FindAsync(TenantId tenantId, AlloyEnvironment environment, CancellationToken cancellationToken) =>
        Db.AlloyAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Environment == environment, cancellationToken);

    /// <summary>Saves; on a failed insert, forgets the tracked entities and returns the failure for the caller to judge.</summary>
    private async Task<DbUpdateException?> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException ex)
        {
            Db.ClearChangeTracker();
            return ex;
        }
    }
}
