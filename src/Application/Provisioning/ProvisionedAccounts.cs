using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>
/// Gives the use cases that need an Alloy user (tokens, integrations, installations) the tenant's provisioned
/// account, tolerating provisioning lag: a due account is provisioned inline and the caller waits for it up to
/// <see cref="ProvisioningOptions.InlineWait"/>; then it gets <c>provisioning-pending</c> (503 + Retry-After),
/// or <c>provisioning-failed</c> (409) if provisioning gave up. While Alloy rejects the hub's key nothing can be
/// provisioned, so the caller gets <c>alloy-key-rejected</c> (503 + Retry-After) without the wait: at once, or after
/// the one inline attempt when the account is due (which notices a key fixed meanwhile). A provisioned account is remembered for
/// <see cref="ProvisioningOptions.AccountCacheDuration"/> (<see cref="ProvisionedAccountCache"/>).
/// </summary>
public sealed class ProvisionedAccounts(
    Lazy<IApplicationDbContext> database,
    IServiceScopeFactory scopes,
    ProvisionedAccountCache cache,
    EnvironmentAccounts environmentAccounts,
    IAlloyKeyStatus keyStatus,
    IOptionsMonitor<HubAlloyOptions> alloy,
    IOptionsMonitor<ProvisioningOptions> provisioning,
    TimeProvider time,
    ILogger<ProvisionedAccounts> logger)
{
    // Resolved on first use: a cache hit never creates a DbContext.
    private IApplicationDbContext Db => database.Value;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PendingRetryAfter = TimeSpan.FromSeconds(2);

    public async Task<Result<AlloyAccount>> RequireAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        var options = alloy.CurrentValue;
        if (cache.TryGet(tenantId, options.Environment, out var remembered))
        {
            return remembered;
        }

        var deadline = time.GetUtcNow() + provisioning.CurrentValue.InlineWait;
        Task? inline = null;
        while (true)
        {
            // Read whether the inline attempt had finished before reading the row, so the row reflects it.
            var inlineFinished = inline is { IsCompleted: true };
            var account = await Db.AlloyAccounts.AsNoTracking()
                .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Environment == options.Environment, cancellationToken);
            if (account is null)
            {
                var created = await EnsureForCurrentEnvironmentAsync(tenantId, options, cancellationToken);
                if (!created.IsSuccess)
                {
                    return created.Error;
                }

                continue;
            }

            var now = time.GetUtcNow();
            switch (account.State)
            {
                case ProvisioningState.Provisioned:
                    cache.Remember(account);
                    return account;
                case ProvisioningState.Failed:
                    return AlloyAccountErrors.Failed(tenantId, account.LastError);
                case ProvisioningState.Deprovisioning or ProvisioningState.Deprovisioned:
                    return AlloyAccountErrors.Offboarded(tenantId);
            }

            if (keyStatus.Rejected && (inline is null ? !account.IsDue(now) : inlineFinished))
            {
                return AlloyErrors.KeyRejected(provisioning.CurrentValue.KeyRejectedRetryDelay);
            }

            if (inline is null && account.IsDue(now))
            {
                // One inline attempt per request, in its own scope so that it can finish (and record its
                // outcome) even if this request stops waiting for it.
                inline = Task.Run(() => ProvisionInOwnScopeAsync(account.Id), CancellationToken.None);
            }

            var remaining = deadline - now;
            if (remaining <= TimeSpan.Zero || (inlineFinished && account.State == ProvisioningState.Pending))
            {
                // An attempt in flight (Provisioning) holds a lease, not a retry time: ask again soon, not when the lease ends.
                var retryAfter = account.State == ProvisioningState.Pending && account.NextAttemptAt is { } next && next > now ? next - now : PendingRetryAfter;
                return AlloyAccountErrors.Pending(tenantId, retryAfter < PendingRetryAfter ? PendingRetryAfter : retryAfter);
            }

            var wait = remaining < PollInterval ? remaining : PollInterval;
            if (inline is { IsCompleted: false })
            {
                await Task.WhenAny(inline, Task.Delay(wait, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    private async Task ProvisionInOwnScopeAsync(long accountId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            await sender.Send(new ProvisionAlloyUserCommand(accountId, MayBatch: false), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Nobody awaits this attempt to completion; the account row (and the reconciler) carry on without it.
            logger.LogWarning(ex, "Inline provisioning of account {AccountId} failed", accountId);
        }
    }

    /// <summary>The hub was switched to another Alloy environment: the tenant gets an account there on demand.</summary>
    private async Task<Result> EnsureForCurrentEnvironmentAsync(TenantId tenantId, HubAlloyOptions options, CancellationToken cancellationToken)
    {
        var tenant = await Db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        if (tenant is null)
        {
            return TenantErrors.NotFound(tenantId.Value);
        }

        if (tenant.IsDeleted)
        {
            return AlloyAccountErrors.Offboarded(tenantId);
        }

        await environmentAccounts.EnsureAsync(tenantId, options.Environment, options.UsernamePrefix, cancellationToken);
        return Result.Success();
    }
}
