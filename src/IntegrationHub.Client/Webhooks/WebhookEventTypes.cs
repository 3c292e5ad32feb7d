namespace IntegrationHub.Client.Webhooks;

/// <summary>The event types the hub sends to the SaaS backend (the envelope's <c>type</c>).</summary>
public static class WebhookEventTypes
{
    /// <summary>A tenant's Alloy user was created (data: <see cref="TenantWebhookData"/>).</summary>
    public const string TenantProvisioned = "tenant.provisioned";

    /// <summary>A tenant's provisioning failed permanently (data: <see cref="TenantWebhookData"/>).</summary>
    public const string TenantProvisioningFailed = "tenant.provisioning_failed";

    /// <summary>A tenant's Alloy user was deleted after offboarding (data: <see cref="TenantWebhookData"/>).</summary>
    public const string TenantDeprovisioned = "tenant.deprovisioned";

    /// <summary>An installation appeared (data: <see cref="InstallationWebhookData"/>).</summary>
    public const string InstallationCreated = "installation.created";

    /// <summary>An installation changed (data: <see cref="InstallationWebhookData"/>).</summary>
    public const string InstallationUpdated = "installation.updated";

    /// <summary>An installation was removed (data: <see cref="InstallationWebhookData"/>).</summary>
    public const string InstallationRemoved = "installation.removed";

    /// <summary>An Alloy workflow of a tenant failed (data: <see cref="IntegrationErrorWebhookData"/>).</summary>
    public const string IntegrationError = "integration.error";

    /// <summary>A SaaS event could not be delivered to Alloy (data: <see cref="EventFailedWebhookData"/>).</summary>
    public const string EventFailed = "event.failed";

    /// <summary>Every type above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        TenantProvisioned,
        TenantProvisioningFailed,
        TenantDeprovisioned,
        InstallationCreated,
        InstallationUpdated,
        InstallationRemoved,
        IntegrationError,
        EventFailed,
    ];
}
