using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Installations;

/// <summary>
/// Upserts one tenant's installation records from what Alloy lists now: new ones are discovered, changed ones
/// get history, vanished ones are marked removed. Used by the frontend refresh and by the sync job.
/// </summary>
public sealed class InstallationSynchronizer(IApplicationDbContext db, IWebhookOutbox webhooks, TimeProvider time)
{
    public async Task<IReadOnlyList<Installation>> SyncTenantAsync(
        TenantId tenantId,
        AlloyEnvironment environment,
        IReadOnlyCollection<InstallationSnapshot> current,
        InstallationChangeSource source,
        CancellationToken cancellationToken)
    {
        return await SaveWithRetryAsync(() => ApplyAsync(tenantId, environment, current, source, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Applies a chunk of the account-wide listing (the sync): the listed installations of several tenants are looked
    /// up by id (one indexed query), new ones discovered, changed ones given history. Removals are not decided here:
    /// a chunk is not everything a tenant has (<see cref="MarkRemovedAsync"/>). An installation id recorded for
    /// another tenant is left alone. Answers how many rows were inserted.
    /// </summary>
    public async Task<int> ApplyListedAsync(
        AlloyEnvironment environment,
        IReadOnlyCollection<(TenantId TenantId, InstallationSnapshot Snapshot)> listed,
        InstallationChangeSource source,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listed);
        try
        {
            return await SaveWithRetryAsync(() => ApplyListedOnceAsync(environment, listed, source, cancellationToken), cancellationToken);
        }
        finally
        {
            // A chunk's entities are not needed after it: the next chunk starts with an empty tracker.
            db.ClearChangeTracker();
        }
    }

    /// <summary>
    /// Applies and saves; two writers may race to insert the same new installation, so the loser clears its unit of
    /// work and applies again (it then finds the winner's row), at most three times in all.
    /// </summary>
    private async Task<T> SaveWithRetryAsync<T>(Func<Task<T>> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await apply();
                await db.SaveChangesAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ClearChangeTracker();
            }
        }
    }

    private async Task<int> ApplyListedOnceAsync(
        AlloyEnvironment environment,
        IReadOnlyCollection<(TenantId TenantId, InstallationSnapshot Snapshot)> listed,
        InstallationChangeSource source,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = listed.Select(l => l.Snapshot.InstallationId).Distinct(StringComparer.Ordinal).ToList();
        var byId = (await db.Installations
                .Where(i => i.Environment == environment && ids.Contains(i.InstallationId))
                .ToListAsync(cancellationToken))
            .ToDictionary(i => i.InstallationId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unchanged = new List<long>();
        var inserted = 0;
        foreach (var (tenantId, snapshot) in listed)
        {
            if (!seen.Add(snapshot.InstallationId))
            {
                continue;
            }

            if (byId.TryGetValue(snapshot.InstallationId, out var record))
            {
                if (record.TenantId != tenantId)
                {
                    continue;
                }

                if (IsUnchanged(record, snapshot))
                {
                    unchanged.Add(record.Id);
                    continue;
                }

                var wasRemoved = record.RemovedAt is not null;
                if (record.Apply(snapshot, now, source))
                {
                    await EmitAsync(wasRemoved ? WebhookEventTypes.InstallationCreated : WebhookEventTypes.InstallationUpdated, record, now, cancellationToken);
                }
            }
            else
            {
                record = Installation.Discover(tenantId, environment, snapshot, now, source);
                db.Installations.Add(record);
                inserted++;
                await EmitAsync(WebhookEventTypes.InstallationCreated, record, now, cancellationToken);
            }
        }

        // Most of a sync finds nothing changed: their sync time in one statement, not one UPDATE a row.
        if (unchanged.Count > 0)
        {
            await db.Installations.Where(i => unchanged.Contains(i.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.LastSyncedAt, now), cancellationToken);
        }

        return inserted;
    }

    /// <summary>Whether <see cref="Installation.Apply"/> would change nothing but the sync time (its conditions, read only).</summary>
    private static bool IsUnchanged(Installation record, InstallationSnapshot snapshot) =>
        record.RemovedAt is null
        && record.Enabled == snapshot.Enabled
        && (snapshot.InstalledAt is null || record.InstalledAt == snapshot.InstalledAt)
        && (string.IsNullOrEmpty(snapshot.IntegrationName) || record.IntegrationName == snapshot.IntegrationName);

    /// <summary>Marks the given installation records removed (with history and webhook), in one save.</summary>
    public async Task MarkRemovedAsync(IReadOnlyCollection<long> recordIds, InstallationChangeSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordIds);
        var now = time.GetUtcNow();
        var records = await db.Installations.Where(i => recordIds.Contains(i.Id)).ToListAsync(cancellationToken);
        foreach (var record in records)
        {
            if (record.MarkRemoved(now, source))
            {
                await EmitAsync(WebhookEventTypes.InstallationRemoved, record, now, cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ClearChangeTracker();
    }

    private async Task<IReadOnlyList<Installation>> ApplyAsync(
        TenantId tenantId,
        AlloyEnvironment environment,
        IReadOnlyCollection<InstallationSnapshot> current,
        InstallationChangeSource source,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = await db.Installations
            .Where(i => i.TenantId == tenantId && i.Environment == environment)
            .ToListAsync(cancellationToken);
        var byId = records.ToDictionary(i => i.InstallationId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in current)
        {
            if (!seen.Add(snapshot.InstallationId))
            {
                continue;
            }

            if (byId.TryGetValue(snapshot.InstallationId, out var record))
            {
                var wasRemoved = record.RemovedAt is not null;
                if (record.Apply(snapshot, now, source))
                {
                    await EmitAsync(wasRemoved ? WebhookEventTypes.InstallationCreated : WebhookEventTypes.InstallationUpdated, record, now, cancellationToken);
                }
            }
            else
            {
                record = Installation.Discover(tenantId, environment, snapshot, now, source);
                db.Installations.Add(record);
                records.Add(record);
                await EmitAsync(WebhookEventTypes.InstallationCreated, record, now, cancellationToken);
            }
        }

        foreach (var record in records.Where(r => !seen.Contains(r.InstallationId)))
        {
            if (record.MarkRemoved(now, source))
            {
                await EmitAsync(WebhookEventTypes.InstallationRemoved, record, now, cancellationToken);
            }
        }

        return records.OrderBy(r => r.InstalledAt ?? r.FirstSeenAt).ThenBy(r => r.InstallationId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The webhook joins the same save as the change (outbox).</summary>
    private Task EmitAsync(string type, Installation record, DateTimeOffset now, CancellationToken cancellationToken) =>
        webhooks.AddAsync(type, TenantInstallationResponse.From(record), WebhookOutbox.VersionOf(now), cancellationToken);
}
