using Hangfire;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Infrastructure.Persistence;

namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>Enqueues Hangfire jobs once the current database transaction (if any) has committed.</summary>
/// <remarks>
/// Provisioning "soon" is not a job per account: the account is due in the database, and one
/// <see cref="ProvisionDueAccountsJob"/> run drains every due account (<see cref="ProvisioningDrain"/> keeps at most one
/// queued per process). A signup burst then costs a few jobs instead of one per tenant, and arrives at the worker as
/// batches. A run that is lost (a crash between commit and enqueue, an in-memory store gone with its process) loses
/// nothing: the reconciler re-enqueues what is due.
/// </remarks>
public sealed class HangfireBackgroundJobs(IBackgroundJobClient client, HubDbContext db, AfterCommitInterceptor afterCommit, ProvisioningDrain drain) : IBackgroundJobs
{
    public void EnqueueProvisioning(long accountId) => afterCommit.Run(db, QueueDrain);

    public void EnqueueProvisioningBatch(IReadOnlyList<long> accountIds)
    {
        long[] ids = [.. accountIds];
        afterCommit.Run(db, () => client.Enqueue<ProvisionAlloyUserBatchJob>(j => j.RunAsync(ids, CancellationToken.None)));
    }

    public void EnqueueProvisioningAttempt(long accountId) =>
        afterCommit.Run(db, () => client.Enqueue<ProvisionAlloyUserJob>(j => j.RunAsync(accountId, CancellationToken.None)));

    public void ScheduleProvisioning(long accountId, DateTimeOffset at) =>
        afterCommit.Run(db, () => client.Schedule<ProvisionAlloyUserJob>(j => j.RunAsync(accountId, CancellationToken.None), at));

    public void EnqueueDeprovisioning(long accountId) =>
        afterCommit.Run(db, () => client.Enqueue<DeprovisionAlloyUserJob>(j => j.RunAsync(accountId, CancellationToken.None)));

    public void ScheduleDeprovisioning(long accountId, DateTimeOffset at) =>
        afterCommit.Run(db, () => client.Schedule<DeprovisionAlloyUserJob>(j => j.RunAsync(accountId, CancellationToken.None), at));

    public void EnqueueInstallationWebhook(long webhookId) =>
        afterCommit.Run(db, () => client.Enqueue<ResolveInstallationWebhookJob>(j => j.RunAsync(webhookId, CancellationToken.None)));

    public void ScheduleInstallationWebhook(long webhookId, DateTimeOffset at) =>
        afterCommit.Run(db, () => client.Schedule<ResolveInstallationWebhookJob>(j => j.RunAsync(webhookId, CancellationToken.None), at));

    public void EnqueueWebhookDelivery(long deliveryId) =>
        afterCommit.Run(db, () => client.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None)));

    public void ScheduleWebhookDelivery(long deliveryId, DateTimeOffset at) =>
        afterCommit.Run(db, () => client.Schedule<WebhookDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None), at));

    public void EnqueueTenantEvents(string tenantId) =>
        afterCommit.Run(db, () => client.Enqueue<TenantEventsJob>(j => j.RunAsync(tenantId, CancellationToken.None)));

    public void ScheduleTenantEvents(string tenantId, DateTimeOffset at) =>
        afterCommit.Run(db, () => client.Schedule<TenantEventsJob>(j => j.RunAsync(tenantId, CancellationToken.None), at));

    private void QueueDrain()
    {
        if (!drain.TryClaim())
        {
            return;
        }

        try
        {
            client.Enqueue<ProvisionDueAccountsJob>(j => j.RunAsync(CancellationToken.None));
        }
        catch
        {
            drain.Abandon();
            throw;
        }
    }
}
