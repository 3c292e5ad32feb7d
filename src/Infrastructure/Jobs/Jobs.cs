using Hangfire;
using IntegrationHub.Application.Events.DeliverTenantEvents;
using IntegrationHub.Application.Events.ReconcileTenantEvents;
using IntegrationHub.Application.Installations.ReconcileInstallationWebhooks;
using IntegrationHub.Application.Installations.ResolveInstallationWebhook;
using IntegrationHub.Application.Installations.SyncInstallations;
using IntegrationHub.Application.OutboundWebhooks.DeliverWebhook;
using IntegrationHub.Application.OutboundWebhooks.ReconcileWebhookDeliveries;
using IntegrationHub.Application.Provisioning.DeprovisionAlloyUser;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUserBatch;
using IntegrationHub.Application.Provisioning.ProvisionDueAccounts;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using Mediator;

namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>Thin: sends the command through the same pipeline as HTTP. The command re-reads the database.</summary>
public sealed class ProvisionAlloyUserJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Provision Alloy user of account {0}")]
    public async Task RunAsync(long accountId, CancellationToken cancellationToken) =>
        await sender.Send(new ProvisionAlloyUserCommand(accountId), cancellationToken);
}

/// <summary>One batch attempt for many accounts (the reconciler's pass, an environment backfill).</summary>
public sealed class ProvisionAlloyUserBatchJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Provision the Alloy users of a batch of accounts")]
    public async Task RunAsync(long[] accountIds, CancellationToken cancellationToken) =>
        await sender.Send(new ProvisionAlloyUserBatchCommand(accountIds), cancellationToken);
}

/// <summary>
/// Drains every due account (<see cref="ProvisioningDrain"/>): what a signup, a retry or a backfill enqueues. No retries:
/// each account keeps its own schedule, and the reconciler re-enqueues whatever is due.
/// </summary>
public sealed class ProvisionDueAccountsJob(ISender sender, ProvisioningDrain drain)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Provision the due Alloy accounts")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var slot = await drain.StartAsync(cancellationToken);
        await sender.Send(new ProvisionDueAccountsCommand(), cancellationToken);
    }
}

public sealed class ReconcileProvisioningJob(ISender sender)
{
    public const string RecurringJobId = "reconcile-provisioning";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Re-enqueue due provisioning")]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.Send(new ReconcileProvisioningCommand(), cancellationToken);
}

public sealed class DeprovisionAlloyUserJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Deprovision Alloy user of account {0}")]
    public async Task RunAsync(long accountId, CancellationToken cancellationToken) =>
        await sender.Send(new DeprovisionAlloyUserCommand(accountId), cancellationToken);
}

public sealed class SyncInstallationsJob(ISender sender)
{
    public const string RecurringJobId = "sync-installations";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [JobDisplayName("Sync installations and detect drift")]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.Send(new SyncInstallationsCommand(), cancellationToken);
}

public sealed class ResolveInstallationWebhookJob(ISender sender)
{
    // The command schedules its own retries (the row says when); Hangfire's retries cover only crashes.
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Resolve installation webhook {0}")]
    public async Task RunAsync(long webhookId, CancellationToken cancellationToken) =>
        await sender.Send(new ResolveInstallationWebhookCommand(webhookId), cancellationToken);
}

public sealed class ReconcileInstallationWebhooksJob(ISender sender)
{
    public const string RecurringJobId = "reconcile-installation-webhooks";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Re-enqueue pending installation webhooks")]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.Send(new ReconcileInstallationWebhooksCommand(), cancellationToken);
}

/// <summary>One job per delivery: a slow endpoint holds up only its own deliveries. The retry schedule is the command's.</summary>
public sealed class WebhookDeliveryJob(ISender sender)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Deliver webhook {0}")]
    public async Task RunAsync(long deliveryId, CancellationToken cancellationToken) =>
        await sender.Send(new DeliverWebhookCommand(deliveryId), cancellationToken);
}

public sealed class ReconcileWebhookDeliveriesJob(ISender sender)
{
    public const string RecurringJobId = "reconcile-webhook-deliveries";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Re-enqueue due webhook deliveries")]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.Send(new ReconcileWebhookDeliveriesCommand(), cancellationToken);
}

/// <summary>One job per tenant with due events (fairness across tenants); the retry schedule is the command's.</summary>
public sealed class TenantEventsJob(ISender sender)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Deliver events of tenant {0}")]
    public async Task RunAsync(string tenantId, CancellationToken cancellationToken) =>
        await sender.Send(new DeliverTenantEventsCommand(tenantId), cancellationToken);
}

public sealed class ReconcileTenantEventsJob(ISender sender)
{
    public const string RecurringJobId = "reconcile-tenant-events";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Re-enqueue due tenant events")]
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.Send(new ReconcileTenantEventsCommand(), cancellationToken);
}
