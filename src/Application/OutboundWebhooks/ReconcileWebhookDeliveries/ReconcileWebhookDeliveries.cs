using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.OutboundWebhooks.ReconcileWebhookDeliveries;

/// <summary>
/// Re-enqueues every webhook delivery that is due (Pending, or under an expired lease), so a lost job store or a
/// crashed worker loses no webhook; the sibling of the provisioning reconciler, on the same schedule and at start.
/// </summary>
/// <param name="AtStartup">Also re-schedules the retries that are not due yet (their jobs went with the job store).</param>
public sealed record ReconcileWebhookDeliveriesCommand(bool AtStartup = false) : ICommand<int>;

internal sealed class ReconcileWebhookDeliveriesCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    IOptionsMonitor<ProvisioningOptions> provisioning,
    TimeProvider time,
    ILogger<ReconcileWebhookDeliveriesCommandHandler> logger) : ICommandHandler<ReconcileWebhookDeliveriesCommand, int>
{
    public async ValueTask<int> Handle(ReconcileWebhookDeliveriesCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = provisioning.CurrentValue.ReconcilerBatchSize;
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(batch)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            jobs.EnqueueWebhookDelivery(id);
        }

        if (command.AtStartup)
        {
            var waiting = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt > now)
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => new { d.Id, At = d.NextAttemptAt!.Value })
                .Take(batch)
                .ToListAsync(cancellationToken);
            foreach (var delivery in waiting)
            {
                jobs.ScheduleWebhookDelivery(delivery.Id, delivery.At);
            }
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Reconciler enqueued {Count} due webhook deliveries", due.Count);
        }

        return due.Count;
    }
}
