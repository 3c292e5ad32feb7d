using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Events;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Provisioning;

/// <summary>
/// What one provisioning attempt's answer from Alloy does to its account, the same for a single create and a batch:
/// the state transition with its audit entry and outbox message (to be saved with it), the metric's outcome, and, once
/// committed, the release of events held for the tenants that now have their Alloy user.
/// </summary>
public sealed class ProvisioningTransitions(
    IApplicationDbContext db,
    AuditTrail audit,
    IWebhookOutbox webhooks,
    IBackgroundJobs jobs,
    TenantEventDispatch events)
{
    /// <summary>Applies <paramref name="result"/> (the Alloy userId, or why not) to the leased account; the caller saves.</summary>
    /// <param name="tenant">The account's tenant, for the webhook's data; null when it is gone (no webhook then).</param>
    public async Task ApplyAsync(
        AlloyAccount account, Tenant? tenant, Result<string> result, ProvisioningOptions settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        if (result.IsSuccess)
        {
            account.MarkProvisioned(result.Value, now);
            audit.AddBySystem(AuditAction.TenantProvisioned, account.TenantId, $"userId={result.Value} environment={account.Environment} attempts={account.Attempts}");
        }
        else
        {
            switch (result.Error.Code)
            {
                case AlloyErrors.KeyRejectedCode:
                    account.Defer(result.Error.Description, now + settings.KeyRejectedRetryDelay);
                    break;
                case AlloyErrors.UnavailableCode:
                    var delay = ProvisioningBackoff.DelayAfter(account.Attempts, settings, result.Error.RetryAfter);
                    account.RecordTransientFailure(result.Error.Description, now + delay, settings.MaxAttempts);
                    break;
                default:
                    account.MarkFailed(result.Error.Description);
                    break;
            }
        }

        // In the same save as the state it reports (the outbox): no message for a change that did not commit.
        if (tenant is not null && account.State is ProvisioningState.Provisioned or ProvisioningState.Failed)
        {
            var type = account.State == ProvisioningState.Provisioned ? WebhookEventTypes.TenantProvisioned : WebhookEventTypes.TenantProvisioningFailed;
            await webhooks.AddAsync(type, TenantResponse.From(tenant, account), WebhookOutbox.VersionOf(now), cancellationToken);
        }
    }

    /// <summary>Events accepted while these tenants had no Alloy user go out now, in acceptance order (after the commit).</summary>
    public async Task ReleaseHeldEventsAsync(IReadOnlyCollection<TenantId> provisioned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provisioned);
        if (provisioned.Count == 0)
        {
            return;
        }

        var held = await db.TenantEvents.AsNoTracking()
            .Where(e => provisioned.Contains(e.TenantId) && e.State == TenantEventState.Held)
            .Select(e => e.TenantId)
            .Distinct()
            .ToListAsync(cancellationToken);
        foreach (var tenantId in held)
        {
            events.Request(tenantId, jobs.EnqueueTenantEvents);
        }
    }

    /// <summary>The <c>outcome</c> tag of the provisioning metric for an attempt that committed.</summary>
    public static string OutcomeOf(AlloyAccount account, Result<string> result)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(result);
        return account.State switch
        {
            ProvisioningState.Provisioned => ProvisioningOutcomes.Provisioned,
            ProvisioningState.Failed => ProvisioningOutcomes.Failed,
            _ when !result.IsSuccess && result.Error.Code == AlloyErrors.KeyRejectedCode => ProvisioningOutcomes.Deferred,
            _ => ProvisioningOutcomes.RetryScheduled,
        };
    }
}
