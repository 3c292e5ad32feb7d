namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>The event types the hub sends to the SaaS backend (README, "Webhooks to your backend").</summary>
public static class WebhookEventTypes
{
    public const string TenantProvisioned = "tenant.provisioned";
    public const string TenantProvisioningFailed = "tenant.provisioning_failed";
    public const string TenantDeprovisioned = "tenant.deprovisioned";
    public const string InstallationCreated = "installation.created";
    public const string InstallationUpdated = "installation.updated";
    public const string InstallationRemoved = "installation.removed";
    public const string IntegrationError = "integration.error";

    /// <summary>Reserved: a SaaS event that could not be delivered to Alloy (emitted by the event relay).</summary>
    public const string EventFailed = "event.failed";

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

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
