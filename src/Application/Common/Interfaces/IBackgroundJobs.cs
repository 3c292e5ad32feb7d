namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>How precisely the job runner keeps a schedule.</summary>
public static class ScheduledJobs
{
    /// <summary>
    /// A scheduled job may start up to this long before the time it was scheduled for (the job runner schedules to the
    /// second); a job that finds its row due within this tolerance treats it as due.
    /// </summary>
    public static readonly TimeSpan EarlyTolerance = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Asks the job runner to do work later. Never the only record of intent: every job re-reads the database,
/// and the reconciler re-enqueues whatever is due if a job is lost.
/// </summary>
public interface IBackgroundJobs
{
    /// <summary>Runs provisioning of the account soon (after the current transaction commits, if any).</summary>
    void EnqueueProvisioning(long accountId);

    /// <summary>
    /// Runs one batch attempt for the accounts soon (after the current transaction commits, if any); at most
    /// <c>Provisioning:BatchSize</c> of them are due ones it takes, the rest are left to their own jobs and the reconciler.
    /// </summary>
    void EnqueueProvisioningBatch(IReadOnlyList<long> accountIds);

    /// <summary>
    /// Runs one provisioning attempt of the account in a job of its own soon (after the current transaction commits, if
    /// any): how a drain that finds too few accounts due for a batch lets their single creates run side by side.
    /// </summary>
    void EnqueueProvisioningAttempt(long accountId);

    /// <summary>Runs provisioning of the account at <paramref name="at"/>.</summary>
    void ScheduleProvisioning(long accountId, DateTimeOffset at);

    /// <summary>Runs deprovisioning (offboarding) of the account soon (after the current transaction commits, if any).</summary>
    void EnqueueDeprovisioning(long accountId);

    void ScheduleDeprovisioning(long accountId, DateTimeOffset at);

    /// <summary>Resolves a received installation webhook soon (after the current transaction commits, if any).</summary>
    void EnqueueInstallationWebhook(long webhookId);

    /// <summary>Resolves a received installation webhook at <paramref name="at"/> (a retry).</summary>
    void ScheduleInstallationWebhook(long webhookId, DateTimeOffset at);

    /// <summary>Sends the webhook delivery soon (after the current transaction commits, if any).</summary>
    void EnqueueWebhookDelivery(long deliveryId);

    /// <summary>Sends the webhook delivery at <paramref name="at"/>.</summary>
    void ScheduleWebhookDelivery(long deliveryId, DateTimeOffset at);

    /// <summary>Delivers the tenant's due events soon (after the current transaction commits, if any).</summary>
    void EnqueueTenantEvents(string tenantId);

    /// <summary>Delivers the tenant's events that are due at <paramref name="at"/>.</summary>
    void ScheduleTenantEvents(string tenantId, DateTimeOffset at);
}
