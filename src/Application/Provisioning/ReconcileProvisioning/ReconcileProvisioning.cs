using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.ReconcileProvisioning;

/// <summary>
/// Re-enqueues every account whose next attempt is due (Pending, or Provisioning with an expired lease), so a
/// lost job store or a crashed worker loses nothing. Runs on a schedule and once at start.
/// </summary>
public sealed record ReconcileProvisioningCommand : ICommand<int>;

internal sealed class ReconcileProvisioningCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    IOptionsMonitor<ProvisioningOptions> options,
    TimeProvider time,
    ILogger<ReconcileProvisioningCommandHandler> logger) : ICommandHandler<ReconcileProvisioningCommand, int>
{
    public async ValueTask<int> Handle(ReconcileProvisioningCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.AlloyAccounts.AsNoTracking()
            .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning) && a.NextAttemptAt <= now)
            .OrderBy(a => a.NextAttemptAt)
            .Select(a => a.Id)
            .Take(options.CurrentValue.ReconcilerBatchSize)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            jobs.EnqueueProvisioning(id);
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Reconciler re-enqueued {Count} due account(s)", due.Count);
        }

        return due.Count;
    }
}
