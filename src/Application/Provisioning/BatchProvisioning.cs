using System.Collections.Concurrent;
using System.Diagnostics;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>
/// Provisions many due accounts with one <c>POST /users/batch</c> (docs/alloy-api.md, U6) and keeps every guarantee of
/// the single path (<see cref="ProvisionAlloyUser.ProvisionAlloyUserCommand"/>): leases on all the accounts in one save
/// before Alloy is called, create-or-adopt by the deterministic username, the same audit entries, outbox messages,
/// metrics, held-event release and retry schedule, account by account.
/// </summary>
/// <remarks>
/// <para>
/// Exactly one Alloy user per tenant, whatever is killed when: the username is a function of the tenant, and Alloy keeps
/// usernames unique (U1 refuses a duplicate, U6 lists it in <c>invalidUsers</c>). A batch that created users and then lost
/// its answer, or whose process died before the outcome was saved, leaves the accounts leased; when the lease ends they
/// are due again, and the next attempt (single or batch) is refused "exists" and adopts the user it finds under the
/// username. No attempt can create a second user, so no crash can either; the lease only keeps two workers from doing
/// the same work at once.
/// </para>
/// <para>
/// Alloy's batch answer carries no userIds, so every account's user is looked up afterwards: one <c>GET /users</c>
/// listing when more than <see cref="ProvisioningOptions.BatchListThreshold"/> users are to be found (one call instead of
/// many, though its size grows with the whole Alloy account, as Alloy does not page it), otherwise one
/// <c>GET /users/{username}</c> each, a few at a time.
/// </para>
/// </remarks>
public sealed partial class BatchProvisioning(
    IApplicationDbContext db,
    IAlloyClient alloy,
    IBackgroundJobs jobs,
    IOptionsMonitor<ProvisioningOptions> options,
    TimeProvider time,
    HubMetrics metrics,
    ProvisioningTransitions transitions,
    ILogger<BatchProvisioning> logger)
{
    /// <summary>Alloy calls in flight at once for the lookups and for the single creates of a fallback.</summary>
    private const int Parallelism = 8;

    /// <summary>How many times the leases are taken again when another worker changed one of the accounts meanwhile.</summary>
    private const int LeaseTries = 3;

    /// <summary>
    /// When the account <paramref name="accountId"/> is due and at least <see cref="ProvisioningOptions.BatchThreshold"/>
    /// accounts of its environment are due with it, provisions them together (up to <see cref="ProvisioningOptions.BatchSize"/>).
    /// Returns whether the batch took this account; if not, its caller goes on with the single path.
    /// </summary>
    public async Task<bool> TryProvisionWithOthersAsync(long accountId, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.BatchEnabled)
        {
            return false;
        }

        var due = time.GetUtcNow() + ScheduledJobs.EarlyTolerance;
        var account = await db.AlloyAccounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new { a.Environment, a.State, a.NextAttemptAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null
            || account.State is not (ProvisioningState.Pending or ProvisioningState.Provisioning)
            || account.NextAttemptAt > due)
        {
            return false;
        }

        var ids = await DueAccountIdsAsync(account.Environment, due, settings.BatchSize, cancellationToken);
        if (ids.Count == 0)
        {
            ids.Add(accountId);
        }
        else if (!ids.Contains(accountId))
        {
            // The oldest due fill the batch: this one takes the last seat (its job is running now).
            ids[^1] = accountId;
        }

        if (ids.Count < settings.BatchThreshold)
        {
            return false;
        }

        var leased = await ProvisionAsync(ids, cancellationToken);
        return leased.Contains(accountId);
    }

    /// <summary>The due accounts of <paramref name="environment"/>, oldest first.</summary>
    public Task<List<long>> DueAccountIdsAsync(AlloyEnvironment environment, DateTimeOffset due, int take, CancellationToken cancellationToken) =>
        db.AlloyAccounts.AsNoTracking()
            .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning)
                        && a.Environment == environment && a.NextAttemptAt <= due)
            .OrderBy(a => a.NextAttemptAt)
            .Select(a => a.Id)
            .Take(take)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// One batch attempt for those of <paramref name="accountIds"/> that are due (at most
    /// <see cref="ProvisioningOptions.BatchSize"/>; the rest are left to their own jobs). Returns the ids it leased.
    /// </summary>
    public async Task<IReadOnlySet<long>> ProvisionAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var started = Stopwatch.GetTimestamp();
        var accounts = await LeaseAsync(accountIds, settings, cancellationToken);
        if (accounts.Count == 0)
        {
            return new HashSet<long>();
        }

        var leaseStamps = accounts.ToDictionary(a => a.Id, a => a.ConcurrencyStamp);
        var tenantIds = accounts.Select(a => a.TenantId).Distinct().ToList();
        var tenants = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.TenantId)).ToDictionaryAsync(t => t.TenantId, cancellationToken);

        IReadOnlyDictionary<long, Result<string>> results;
        try
        {
            results = await CreateOrAdoptAllAsync(accounts, tenants, settings, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the leases go back unspent, as on the single path; users Alloy created meanwhile are adopted.
            var now = time.GetUtcNow();
            foreach (var account in accounts)
            {
                account.Defer("Interrupted by shutdown before Alloy answered.", now);
            }

            await db.TrySaveChangesAsync(CancellationToken.None);
            foreach (var account in accounts)
            {
                metrics.ProvisioningAttempted(ProvisioningOutcomes.Interrupted, account.Environment.ToString(), Stopwatch.GetElapsedTime(started));
            }

            throw;
        }

        var committed = await RecordAsync(accounts, tenants, results, leaseStamps, settings, cancellationToken);
        await AfterCommitAsync(committed, results, started, cancellationToken);
        db.ClearChangeTracker();
        return leaseStamps.Keys.ToHashSet();
    }

    /// <summary>
    /// Takes a lease on every due account of the batch in one save: the concurrency stamps make it all or nothing, so a
    /// single attempt (or another batch) that leased one of them first wins it, and this batch tries again without it.
    /// </summary>
    private async Task<List<AlloyAccount>> LeaseAsync(IReadOnlyCollection<long> accountIds, ProvisioningOptions settings, CancellationToken cancellationToken)
    {
        var ids = accountIds.Distinct().ToList();
        for (var attempt = 1; attempt <= LeaseTries; attempt++)
        {
            var now = time.GetUtcNow();
            var candidates = await db.AlloyAccounts.Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
            var due = candidates.Where(a => a.IsDue(now + ScheduledJobs.EarlyTolerance)).OrderBy(a => a.NextAttemptAt).Take(settings.BatchSize).ToList();
            if (due.Count == 0)
            {
                db.ClearChangeTracker();
                return due;
            }

            foreach (var account in due)
            {
                account.BeginAttempt(now, settings.Lease);
            }

            if (await db.TrySaveChangesAsync(cancellationToken))
            {
                return due;
            }

            LogLeaseContended(logger, due.Count, attempt);
        }

        // Still contended: the accounts' own jobs (and the reconciler) provision whatever nobody leased.
        return [];
    }

    private async Task<IReadOnlyDictionary<long, Result<string>>> CreateOrAdoptAllAsync(
        List<AlloyAccount> accounts, Dictionary<TenantId, Tenant> tenants, ProvisioningOptions settings, CancellationToken cancellationToken)
    {
        string FullName(AlloyAccount a) => tenants.TryGetValue(a.TenantId, out var t) ? t.Name : a.TenantId.Value;

        var batch = await alloy.CreateUsersAsync([.. accounts.Select(a => (a.Username, FullName(a)))], cancellationToken);
        if (!batch.IsSuccess)
        {
            if (batch.Error.Code == AlloyErrors.KeyRejectedCode)
            {
                // Every account would be refused the same way: all defer, as on the single path.
                return accounts.ToDictionary(a => a.Id, _ => Result<string>.Failure(batch.Error));
            }

            // Unavailable (5xx, 429, transport) or an answer we do not understand: one create-or-adopt per account,
            // the single path's own call, so that no account waits for the batch route to recover.
            LogBatchFellBack(logger, accounts.Count, batch.Error.Code);
            return await ForEachAsync(accounts, a => AlloyUserAdoption.CreateOrAdoptAsync(alloy, a.Username, FullName(a), cancellationToken), cancellationToken);
        }

        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in batch.Value.Refused)
        {
            if (entry.Username is { } username)
            {
                refused.TryAdd(username, entry.Reason);
            }
        }

        var found = await LookUpAsync(accounts, settings, cancellationToken);
        return accounts.ToDictionary(a => a.Id, a =>
        {
            var lookup = found[a.Id];
            if (!lookup.IsSuccess)
            {
                // The user may well exist: a later attempt adopts it.
                return Result<string>.Failure(lookup.Error);
            }

            if (lookup.Value is { } userId)
            {
                // Created now, or refused because it exists (a lost answer, another worker): adopted either way.
                return userId;
            }

            return refused.TryGetValue(a.Username, out var reason)
                ? AlloyErrors.Rejected($"Alloy refused the user in POST /users/batch: {reason}")
                : AlloyErrors.Unavailable("Alloy accepted the user in POST /users/batch but does not list it yet.");
        });
    }

    /// <summary>Each account's userId under its username (null: Alloy does not know it), or the lookup's failure.</summary>
    private async Task<IReadOnlyDictionary<long, Result<string?>>> LookUpAsync(
        List<AlloyAccount> accounts, ProvisioningOptions settings, CancellationToken cancellationToken)
    {
        var results = new Dictionary<long, Result<string?>>();
        var remaining = accounts;
        if (accounts.Count > settings.BatchListThreshold)
        {
            var listing = await alloy.ListUsersAsync(cancellationToken);
            if (listing.IsSuccess)
            {
                var byUsername = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var user in listing.Value)
                {
                    if (user.Username is { Length: > 0 } name)
                    {
                        byUsername.TryAdd(name, user.UserId);
                    }
                }

                remaining = [];
                foreach (var account in accounts)
                {
                    if (byUsername.TryGetValue(account.Username, out var userId))
                    {
                        results[account.Id] = userId;
                    }
                    else
                    {
                        remaining.Add(account);
                    }
                }
            }
        }

        // Below the threshold, after a failed listing, or absent from it (a listing may lag a create): one GET each.
        var single = await ForEachAsync(remaining, async a =>
        {
            var found = await alloy.FindUserAsync(a.Username, cancellationToken);
            return found.IsSuccess ? Result<string?>.Success(found.Value?.UserId) : Result<string?>.Failure(found.Error);
        }, cancellationToken);
        foreach (var (id, result) in single)
        {
            results[id] = result;
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="call"/> for each account, <see cref="Parallelism"/> at a time. Once one answers that Alloy is
    /// unavailable or refuses the key, the accounts not yet started get that answer without a call (each is retried on
    /// its own schedule, as on the single path).
    /// </summary>
    private static async Task<IReadOnlyDictionary<long, Result<T>>> ForEachAsync<T>(
        List<AlloyAccount> accounts, Func<AlloyAccount, Task<Result<T>>> call, CancellationToken cancellationToken)
    {
        var results = new ConcurrentDictionary<long, Result<T>>();
        Error? outage = null;
        await Parallel.ForEachAsync(
            accounts,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (account, _) =>
            {
                if (Volatile.Read(ref outage) is { } known)
                {
                    results[account.Id] = Result<T>.Failure(known);
                    return;
                }

                var result = await call(account);
                if (!result.IsSuccess && result.Error.Code is AlloyErrors.UnavailableCode or AlloyErrors.KeyRejectedCode)
                {
                    Interlocked.CompareExchange(ref outage, result.Error, null);
                }

                results[account.Id] = result;
            });
        return results;
    }

    /// <summary>
    /// Records every outcome as the single path does, in one save. If another writer changed one of the accounts since
    /// the lease (an offboarding, say), that save fails as a whole: then each account is recorded on its own, and the
    /// ones whose lease is no longer this batch's are left to whoever changed them.
    /// </summary>
    private async Task<List<AlloyAccount>> RecordAsync(
        List<AlloyAccount> accounts,
        Dictionary<TenantId, Tenant> tenants,
        IReadOnlyDictionary<long, Result<string>> results,
        Dictionary<long, Guid> leaseStamps,
        ProvisioningOptions settings,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var account in accounts)
        {
            await transitions.ApplyAsync(account, tenants.GetValueOrDefault(account.TenantId), results[account.Id], settings, now, cancellationToken);
        }

        if (await db.TrySaveChangesAsync(cancellationToken))
        {
            return accounts;
        }

        var committed = new List<AlloyAccount>();
        foreach (var id in leaseStamps.Keys)
        {
            var account = await db.AlloyAccounts.FirstAsync(a => a.Id == id, cancellationToken);
            if (account.ConcurrencyStamp == leaseStamps[id])
            {
                await transitions.ApplyAsync(account, tenants.GetValueOrDefault(account.TenantId), results[id], settings, now, cancellationToken);
                if (await db.TrySaveChangesAsync(cancellationToken))
                {
                    committed.Add(account);
                    continue;
                }
            }

            db.ClearChangeTracker();
            metrics.ProvisioningAttempted(ProvisioningOutcomes.LostRace, account.Environment.ToString(), TimeSpan.Zero);
        }

        return committed;
    }

    /// <summary>Once committed: logs, metrics, held events released, retries scheduled (as the single path does).</summary>
    private async Task AfterCommitAsync(
        List<AlloyAccount> committed, IReadOnlyDictionary<long, Result<string>> results, long started, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var provisioned = new List<TenantId>();
        foreach (var account in committed)
        {
            var result = results[account.Id];
            if (result.IsSuccess)
            {
                provisioned.Add(account.TenantId);
                LogProvisioned(logger, account.TenantId.Value, account.Environment, result.Value, account.Attempts);
            }
            else
            {
                LogAttemptFailed(logger, account.TenantId.Value, account.Attempts, result.Error.Code, account.State);
            }

            metrics.ProvisioningAttempted(ProvisioningTransitions.OutcomeOf(account, result), account.Environment.ToString(), elapsed);
            if (account is { State: ProvisioningState.Pending, NextAttemptAt: { } retryAt })
            {
                jobs.ScheduleProvisioning(account.Id, retryAt);
            }
        }

        await transitions.ReleaseHeldEventsAsync(provisioned, cancellationToken);
        LogBatchFinished(logger, committed.Count, provisioned.Count, elapsed.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioned Alloy user {UserId} for tenant {TenantId} in {Environment} after {Attempts} attempt(s) (batch)")]
    private static partial void LogProvisioned(ILogger logger, string tenantId, AlloyEnvironment environment, string userId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning attempt {Attempts} for tenant {TenantId} failed with {ErrorCode} (batch); the account is now {State}")]
    private static partial void LogAttemptFailed(ILogger logger, string tenantId, int attempts, string errorCode, ProvisioningState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch provisioning recorded {Count} account(s), {Provisioned} provisioned, in {ElapsedMs:F0} ms")]
    private static partial void LogBatchFinished(ILogger logger, int count, int provisioned, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /users/batch failed with {ErrorCode}; creating the {Count} user(s) one by one")]
    private static partial void LogBatchFellBack(ILogger logger, int count, string errorCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another worker changed one of {Count} accounts while the batch took its leases (try {Attempt})")]
    private static partial void LogLeaseContended(ILogger logger, int count, int attempt);
}
