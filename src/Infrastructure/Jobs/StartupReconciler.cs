using Hangfire;
using IntegrationHub.Application.Events.ReconcileTenantEvents;
using IntegrationHub.Application.Installations.ReconcileInstallationWebhooks;
using IntegrationHub.Application.OutboundWebhooks.ReconcileWebhookDeliveries;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.Infrastructure.Persistence;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>
/// On start: registers the recurring reconcilers (provisioning, installation webhooks, webhook deliveries, tenant events), then runs them once, so work that was due when the process
/// stopped (an in-memory job store loses its jobs) resumes at once instead of at the next schedule.
/// </summary>
public sealed class StartupReconciler(
    IServiceScopeFactory scopes,
    DatabaseReadiness readiness,
    IRecurringJobManager recurring,
    IOptions<HangfireOptions> options,
    ILogger<StartupReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A database unavailable at start is initialized in the background: the jobs and the reconcilers need its
        // schema (and SQL Server job storage lives in it), so they wait for it.
        await readiness.WaitAsync(stoppingToken);

        // The job storage (SQL Server) may be briefly away at start: keep trying rather than stop the host.
        var delay = TimeSpan.FromSeconds(2);
        while (!TryRegisterRecurringJobs())
        {
            await Task.Delay(delay, stoppingToken);
            delay = delay * 2 < TimeSpan.FromMinutes(1) ? delay * 2 : TimeSpan.FromMinutes(1);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            await sender.Send(new ReconcileProvisioningCommand(AtStartup: true), stoppingToken);
            await sender.Send(new ReconcileInstallationWebhooksCommand(AtStartup: true), stoppingToken);
            await sender.Send(new ReconcileWebhookDeliveriesCommand(AtStartup: true), stoppingToken);
            await sender.Send(new ReconcileTenantEventsCommand(AtStartup: true), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The recurring run will try again; the hub must start even if the database is briefly away.
            logger.LogWarning(ex, "The start-up reconciler run failed; the recurring run will catch up");
        }
    }

    private bool TryRegisterRecurringJobs()
    {
        try
        {
            recurring.AddOrUpdate<ReconcileProvisioningJob>(
                ReconcileProvisioningJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                options.Value.ReconcilerCron);
            recurring.AddOrUpdate<ReconcileInstallationWebhooksJob>(
                ReconcileInstallationWebhooksJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                options.Value.ReconcilerCron);
            recurring.AddOrUpdate<ReconcileWebhookDeliveriesJob>(
                ReconcileWebhookDeliveriesJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                options.Value.ReconcilerCron);
            recurring.AddOrUpdate<ReconcileTenantEventsJob>(
                ReconcileTenantEventsJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                options.Value.ReconcilerCron);
            recurring.AddOrUpdate<SyncInstallationsJob>(
                SyncInstallationsJob.RecurringJobId,
                j => j.RunAsync(CancellationToken.None),
                options.Value.InstallationSyncCron);
            return true;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ArgumentException))
        {
            // A malformed cron (ArgumentException) is a configuration error and stops the host; storage trouble waits.
            logger.LogWarning(ex, "Registering the recurring jobs failed (job storage unavailable?); retrying");
            return false;
        }
    }
}
