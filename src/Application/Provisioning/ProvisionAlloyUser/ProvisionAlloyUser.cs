using System.Diagnostics;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.ProvisionAlloyUser;

/// <summary>
/// One provisioning attempt for one account: creates its Alloy user, or adopts the one that already exists
/// under its deterministic username. Safe to run any number of times, concurrently, after any crash. When many accounts
/// are due at once (a signup burst that queued faster than single attempts drain), the attempt becomes one batch for
/// them all (<see cref="BatchProvisioning"/>); alone, it takes the single path at once.
/// </summary>
/// <param name="MayBatch">False for an attempt someone is waiting for (a token request): it stays a single create.</param>
public sealed record ProvisionAlloyUserCommand(long AccountId, bool MayBatch = true) : ICommand<Result<ProvisioningOutcome>>;

/// <param name="State">The account's state after this command.</param>
/// <param name="Attempted">Whether this command made an attempt (false: nothing was due, or another worker holds it).</param>
public sealed record ProvisioningOutcome(ProvisioningState State, bool Attempted, DateTimeOffset? NextAttemptAt);

internal sealed partial class ProvisionAlloyUserCommandHandler(
    IApplicationDbContext db,
    IAlloyClient alloy,
    IBackgroundJobs jobs,
    IOptionsMonitor<ProvisioningOptions> options,
    TimeProvider time,
    HubMetrics metrics,
    ProvisioningTransitions transitions,
    BatchProvisioning batches,
    ILogger<ProvisionAlloyUserCommandHandler> logger) : ICommandHandler<ProvisionAlloyUserCommand, Result<ProvisioningOutcome>>
{
    public async ValueTask<Result<ProvisioningOutcome>> Handle(ProvisionAlloyUserCommand command, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (command.MayBatch && await batches.TryProvisionWithOthersAsync(command.AccountId, cancellationToken))
        {
            // A batch made this account's attempt along with the others due.
            var batched = await db.AlloyAccounts.AsNoTracking().FirstAsync(a => a.Id == command.AccountId, cancellationToken);
            return new ProvisioningOutcome(batched.State, Attempted: true, batched.NextAttemptAt);
        }

        var account = await db.AlloyAccounts.FirstOrDefaultAsync(a => a.Id == command.AccountId, cancellationToken);
        if (account is null)
        {
            return new Error("account-not-found", $"Alloy account {command.AccountId} does not exist.", ErrorType.NotFound);
        }

        var now = time.GetUtcNow();
        if (!account.IsDue(now + ScheduledJobs.EarlyTolerance))
        {
            return Skipped(account);
        }

        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.TenantId == account.TenantId, cancellationToken);
        var fullName = tenant?.Name ?? account.TenantId.Value;

        var started = Stopwatch.GetTimestamp();
        account.BeginAttempt(now, settings.Lease);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            // Another worker took the lease first; it does the work.
            return await CurrentAsync(command.AccountId, cancellationToken);
        }

        Result<string> result;
        try
        {
            result = await AlloyUserAdoption.CreateOrAdoptAsync(alloy, account.Username, fullName, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is shutting down: give the lease back without spending the attempt, so the next start (or
            // another worker) retries at once instead of after the lease. A user Alloy created meanwhile is adopted.
            account.Defer("Interrupted by shutdown before Alloy answered.", time.GetUtcNow());
            await db.TrySaveChangesAsync(CancellationToken.None);
            metrics.ProvisioningAttempted(ProvisioningOutcomes.Interrupted, account.Environment.ToString(), Stopwatch.GetElapsedTime(started));
            throw;
        }

        now = time.GetUtcNow();
        await transitions.ApplyAsync(account, tenant, result, settings, now, cancellationToken);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            metrics.ProvisioningAttempted(ProvisioningOutcomes.LostRace, account.Environment.ToString(), Stopwatch.GetElapsedTime(started));
            return await CurrentAsync(command.AccountId, cancellationToken);
        }

        // Logged once committed: a crash before the commit must not leave a line claiming what never happened.
        if (result.IsSuccess)
        {
            LogProvisioned(logger, account.TenantId.Value, account.Environment, result.Value, account.Attempts);
            await transitions.ReleaseHeldEventsAsync([account.TenantId], cancellationToken);
        }
        else
        {
            LogAttemptFailed(logger, account.TenantId.Value, account.Attempts, result.Error.Code, account.State);
        }

        metrics.ProvisioningAttempted(ProvisioningTransitions.OutcomeOf(account, result), account.Environment.ToString(), Stopwatch.GetElapsedTime(started));
        if (account is { State: ProvisioningState.Pending, NextAttemptAt: { } retryAt })
        {
            jobs.ScheduleProvisioning(account.Id, retryAt);
        }

        return new ProvisioningOutcome(account.State, Attempted: true, account.NextAttemptAt);
    }

    private async Task<Result<ProvisioningOutcome>> CurrentAsync(long accountId, CancellationToken cancellationToken)
    {
        var current = await db.AlloyAccounts.AsNoTracking().FirstAsync(a => a.Id == accountId, cancellationToken);
        return Skipped(current);
    }

    private static ProvisioningOutcome Skipped(AlloyAccount account) => new(account.State, Attempted: false, account.NextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioned Alloy user {UserId} for tenant {TenantId} in {Environment} after {Attempts} attempt(s)")]
    private static partial void LogProvisioned(ILogger logger, string tenantId, AlloyEnvironment environment, string userId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning attempt {Attempts} for tenant {TenantId} failed with {ErrorCode}; the account is now {State}")]
    private static partial void LogAttemptFailed(ILogger logger, string tenantId, int attempts, string errorCode, ProvisioningState state);
}
