using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.AlloyAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Keeps <see cref="ProvisionedAccountCache"/> honest: whatever saves a changed or deleted account (offboarding,
/// deprovisioning, a vanished user, any future use case) makes this process forget it, before the save (so no new
/// request takes the old state from memory) and again after it (a request that read the old row meanwhile).
/// </summary>
public sealed class AccountCacheInterceptor(ProvisionedAccountCache cache) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Every tracked account, whatever its state: no change detection needed, and a needless miss costs one read.
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<AlloyAccount>())
            {
                cache.Forget(entry.Entity.TenantId, entry.Entity.Environment);
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
