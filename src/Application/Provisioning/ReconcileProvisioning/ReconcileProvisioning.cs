using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Domain.AlloyAccounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.ReconcileProvisioning;

/// <summary>
/// Re-enqueues every account whose next attempt is due (Pending, or Provisioning with an expired lease), so a
/// lost job store or a crashed worker loses nothing; and backfills, a batch per run, accounts in the current Alloy
/// environment for tenants that only have one in another (after a switch from development to production keys),
/// enqueuing their provisioning. Many due at once go in batches (<see cref="ProvisioningJobs"/>). Runs on a schedule and
/// once at start. Returns how many accounts it enqueued.
/// </summary>
/// <param name="AtStartup">
/// Also re-schedules every attempt that is not due yet (a lease held by a process that just died, a backoff wait):
/// the jobs that would have run them were in the job store the crash took. Without this they would wait for the
/// next scheduled run after their time instead of running at it.
/// </param>
public sealed record ReconcileProvisioningCommand(bool AtStartup = false) : ICommand<int>;

internal sealed class ReconcileProvisioningCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    EnvironmentAccounts environmentAccounts,
    IOptionsMonitor<ProvisioningOptions> options,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TimeProvider time,
    HubMetrics metrics,
    ILogger<ReconcileProvisioningCommandHandler> logger) : ICommandHandler<ReconcileProvisioningCommand, int>
{
    public async ValueTask<int> Handle(ReconcileProvisioningCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = options.CurrentValue.ReconcilerBatchSize;
        var due = await db.AlloyAccounts.AsNoTracking()
            .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning) && a.NextAttemptAt <= now)
            .OrderBy(a => a.NextAttemptAt)
            .Select(a => a.Id)
            .Take(batch)
            .ToListAsync(cancellationToken);
        ProvisioningJobs.Enqueue(jobs, due, options.CurrentValue);

        // The backlog is what was due now; counted only when a full batch suggests there is more than was taken.
        metrics.ReconcilerBacklog("provisioning", due.Count < batch ? due.Count : await db.AlloyAccounts
            .LongCountAsync(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning) && a.NextAttemptAt <= now, cancellationToken));

        // Offboarding resumes the same way (only accounts of the environment whose key is configured can be removed).
        var environment = alloy.CurrentValue.Environment;
        var leaving = await db.AlloyAccounts.AsNoTracking()
            .Where(a => a.State == ProvisioningState.Deprovisioning && a.Environment == environment && a.NextAttemptAt <= now)
            .OrderBy(a => a.NextAttemptAt)
            .Select(a => a.Id)
            .Take(batch)
            .ToListAsync(cancellationToken);
        foreach (var id in leaving)
        {
            jobs.EnqueueDeprovisioning(id);
        }

        metrics.ReconcilerBacklog("deprovisioning", leaving.Count < batch ? leaving.Count : await db.AlloyAccounts
            .LongCountAsync(a => a.State == ProvisioningState.Deprovisioning && a.Environment == environment && a.NextAttemptAt <= now, cancellationToken));

        if (command.AtStartup)
        {
            await ScheduleNotYetDueAsync(now, batch, environment, cancellationToken);
        }

        // After the scan: the accounts it creates are enqueued as they are created, not a second time by the scan.
        var backfilled = await BackfillAsync(cancellationToken);
        if (due.Count + leaving.Count + backfilled > 0)
        {
            logger.LogInformation(
                "Reconciler enqueued {Count} due account(s), {Backfilled} new in this environment and {Leaving} to deprovision",
                due.Count, backfilled, leaving.Count);
        }

        return due.Count + backfilled + leaving.Count;
    }

    private async Task ScheduleNotYetDueAsync(DateTimeOffset now, int batch, AlloyEnvironment environment, CancellationToken cancellationToken)
    {
        var waiting = await db.AlloyAccounts.AsNoTracking()
            .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning
                         || (a.State == ProvisioningState.Deprovisioning && a.Environment == environment))
                        && a.NextAttemptAt > now)
            .OrderBy(a => a.NextAttemptAt)
            .Select(a => new { a.Id, a.State, At = a.NextAttemptAt!.Value })
            .Take(batch)
            .ToListAsync(cancellationToken);
        foreach (var account in waiting)
        {
            if (account.State == ProvisioningState.Deprovisioning)
            {
                jobs.ScheduleDeprovisioning(account.Id, account.At);
            }
            else
            {
                jobs.ScheduleProvisioning(account.Id, account.At);
            }
        }

        if (waiting.Count > 0)
        {
            logger.LogInformation("Start-up reconciler re-scheduled {Count} attempt(s) that were not due yet", waiting.Count);
        }
    }

    private async Task<int> BackfillAsync(CancellationToken cancellationToken)
    {
        var settings = alloy.CurrentValue;
        var environment = settings.Environment;
        var missing = await db.Tenants.AsNoTracking()
            .Where(t => t.DeletedAt == null && !db.AlloyAccounts.Any(a => a.TenantId == t.TenantId && a.Environment == environment))
            .OrderBy(t => t.Id)
            .Select(t => t.TenantId)
            .Take(options.CurrentValue.BackfillBatchSize)
            .ToListAsync(cancellationToken);
        return missing.Count == 0 ? 0 : await environmentAccounts.EnsureAllAsync(missing, environment, settings.UsernamePrefix, cancellationToken);
    }
}
