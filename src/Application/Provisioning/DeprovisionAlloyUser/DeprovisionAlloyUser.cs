using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Installations;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.DeprovisionAlloyUser;

/// <summary>
/// One deprovisioning attempt: delete the account's Alloy user (found by username if its id was never recorded)
/// and the user's logs, mark the tenant's installations removed, finish. Safe to repeat and to resume after a crash.
/// Accounts of another Alloy environment than the configured one wait until that environment's key is configured.
/// </summary>
public sealed record DeprovisionAlloyUserCommand(long AccountId) : ICommand<Result<ProvisioningState>>;

internal sealed class DeprovisionAlloyUserCommandHandler(
    IApplicationDbContext db,
    IAlloyClient alloy,
    IBackgroundJobs jobs,
    AuditTrail audit,
    IWebhookOutbox webhooks,
    IOptionsMonitor<ProvisioningOptions> options,
    IOptionsMonitor<HubAlloyOptions> hub,
    TimeProvider time) : ICommandHandler<DeprovisionAlloyUserCommand, Result<ProvisioningState>>
{
    public async ValueTask<Result<ProvisioningState>> Handle(DeprovisionAlloyUserCommand command, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var account = await db.AlloyAccounts.FirstOrDefaultAsync(a => a.Id == command.AccountId, cancellationToken);
        if (account is null)
        {
            return new Error("account-not-found", $"Alloy account {command.AccountId} does not exist.", ErrorType.NotFound);
        }

        var now = time.GetUtcNow();
        if (!account.IsDeprovisioningDue(now + ScheduledJobs.EarlyTolerance) || account.Environment != hub.CurrentValue.Environment)
        {
            return account.State;
        }

        account.BeginDeprovisioningAttempt(now, settings.Lease);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return ProvisioningState.Deprovisioning;
        }

        var removed = await RemoveFromAlloyAsync(account, cancellationToken);
        now = time.GetUtcNow();
        if (removed.IsSuccess)
        {
            var installations = await db.Installations
                .Where(i => i.TenantId == account.TenantId && i.Environment == account.Environment && i.RemovedAt == null)
                .ToListAsync(cancellationToken);
            foreach (var installation in installations)
            {
                installation.MarkRemoved(now, InstallationChangeSource.Admin);
                await webhooks.AddAsync(WebhookEventTypes.InstallationRemoved, TenantInstallationResponse.From(installation), WebhookOutbox.VersionOf(now), cancellationToken);
            }

            account.MarkDeprovisioned(now);
            audit.AddBySystem(AuditAction.TenantDeprovisioned, account.TenantId, $"environment={account.Environment} userId={account.UserId ?? "none"}");
            if (await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.TenantId == account.TenantId, cancellationToken) is { } tenant)
            {
                await webhooks.AddAsync(WebhookEventTypes.TenantDeprovisioned, TenantResponse.From(tenant, account), WebhookOutbox.VersionOf(now), cancellationToken);
            }
        }
        else
        {
            var delay = removed.Error.Code == AlloyErrors.KeyRejectedCode
                ? settings.KeyRejectedRetryDelay
                : ProvisioningBackoff.DelayAfter(account.Attempts, settings, removed.Error.RetryAfter);
            account.RecordDeprovisioningFailure(removed.Error.Description, now + delay);
        }

        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return ProvisioningState.Deprovisioning;
        }

        if (account is { State: ProvisioningState.Deprovisioning, NextAttemptAt: { } retryAt })
        {
            jobs.ScheduleDeprovisioning(account.Id, retryAt);
        }

        return account.State;
    }

    private async Task<Result> RemoveFromAlloyAsync(AlloyAccount account, CancellationToken cancellationToken)
    {
        if (account.UserId is null)
        {
            // Provisioning may have created the user without recording it: look for it under its username.
            var found = await alloy.FindUserAsync(account.Username, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.Error;
            }

            if (found.Value is null)
            {
                return Result.Success();
            }

            account.AdoptForDeprovisioning(found.Value.UserId);
        }

        var logs = await alloy.DeleteUserLogsAsync(account.UserId!, cancellationToken);
        if (!logs.IsSuccess)
        {
            return logs;
        }

        return await alloy.DeleteUserAsync(account.UserId!, cancellationToken);
    }
}
