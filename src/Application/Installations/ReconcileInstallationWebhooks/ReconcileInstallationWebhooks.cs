using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Installations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.ReconcileInstallationWebhooks;

/// <summary>
/// Re-enqueues every pending installation webhook whose attempt is due (its job was lost with the job store, or its
/// worker died holding the lease), so a received delivery is never lost (docs/adr/0004-database-is-the-record-of-intent.md).
/// At start it also re-schedules the attempts that are not due yet. Runs with the provisioning reconciler's schedule.
/// Returns how many deliveries it enqueued or scheduled.
/// </summary>
public sealed record ReconcileInstallationWebhooksCommand(bool AtStartup = false) : ICommand<int>;

internal sealed class ReconcileInstallationWebhooksCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    IOptionsMonitor<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<ReconcileInstallationWebhooksCommandHandler> logger) : ICommandHandler<ReconcileInstallationWebhooksCommand, int>
{
    public async ValueTask<int> Handle(ReconcileInstallationWebhooksCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = db.InstallationWebhooks.AsNoTracking().Where(w => w.Status == InstallationWebhookStatus.Pending);
        if (!command.AtStartup)
        {
            pending = pending.Where(w => w.NextAttemptAt <= now);
        }

        var rows = await pending
            .OrderBy(w => w.NextAttemptAt)
            .Select(w => new { w.Id, w.NextAttemptAt })
            .Take(options.CurrentValue.ReconcilerBatchSize)
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (row.NextAttemptAt is { } at && at > now)
            {
                jobs.ScheduleInstallationWebhook(row.Id, at);
            }
            else
            {
                jobs.EnqueueInstallationWebhook(row.Id);
            }
        }

        if (rows.Count > 0)
        {
            logger.LogInformation("Reconciler enqueued {Count} pending installation webhook(s)", rows.Count);
        }

        return rows.Count;
    }
}
