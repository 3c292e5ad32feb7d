using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Events;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Events.ReconcileTenantEvents;

/// <summary>
/// Asks for a delivery job for every tenant with due events (Pending, or under an expired lease) and every tenant
/// whose held events can go now (its Alloy user exists, or it was offboarded), so a lost job store or a crashed worker
/// loses no event; the sibling of the other reconcilers, on the same schedule and at start.
/// </summary>
/// <param name="AtStartup">Also schedules the tenants whose retries are not due yet (their jobs went with the job store).</param>
public sealed record ReconcileTenantEventsCommand(bool AtStartup = false) : ICommand<int>;

internal sealed class ReconcileTenantEventsCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    TenantEventDispatch dispatch,
    IOptionsMonitor<ProvisioningOptions> provisioning,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TimeProvider time,
    ILogger<ReconcileTenantEventsCommandHandler> logger) : ICommandHandler<ReconcileTenantEventsCommand, int>
{
    public async ValueTask<int> Handle(ReconcileTenantEventsCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = provisioning.CurrentValue.ReconcilerBatchSize;
        var environment = alloy.CurrentValue.Environment;
        var due = await db.TenantEvents.AsNoTracking()
            .Where(e => e.State == TenantEventState.Pending && e.NextAttemptAt <= now)
            .Select(e => e.TenantId)
            .Distinct()
            .OrderBy(t => t)
            .Take(batch)
            .ToListAsync(cancellationToken);

        // Held events wait for provisioning; once their tenant's user exists (or the tenant is gone) they can move.
        var releasable = await db.TenantEvents.AsNoTracking()
            .Where(e => e.State == TenantEventState.Held)
            .Where(e => db.AlloyAccounts.Any(a => a.TenantId == e.TenantId && a.Environment == environment
                                                 && (a.State == ProvisioningState.Provisioned
                                                     || a.State == ProvisioningState.Deprovisioning
                                                     || a.State == ProvisioningState.Deprovisioned)))
            .Select(e => e.TenantId)
            .Distinct()
            .OrderBy(t => t)
            .Take(batch)
            .ToListAsync(cancellationToken);

        var tenants = due.Concat(releasable).Distinct().ToList();
        foreach (var tenantId in tenants)
        {
            dispatch.Request(tenantId, jobs.EnqueueTenantEvents);
        }

        if (command.AtStartup)
        {
            var waiting = await db.TenantEvents.AsNoTracking()
                .Where(e => e.State == TenantEventState.Pending && e.NextAttemptAt > now)
                .GroupBy(e => e.TenantId)
                .Select(g => new { TenantId = g.Key, At = g.Min(e => e.NextAttemptAt) })
                .OrderBy(g => g.At)
                .Take(batch)
                .ToListAsync(cancellationToken);
            foreach (var tenant in waiting.Where(w => w.At is not null))
            {
                jobs.ScheduleTenantEvents(tenant.TenantId.Value, tenant.At!.Value);
            }
        }

        if (tenants.Count > 0)
        {
            logger.LogInformation("Reconciler asked for event delivery of {Count} tenant(s)", tenants.Count);
        }

        return tenants.Count;
    }
}
