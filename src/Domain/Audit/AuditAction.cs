namespace IntegrationHub.Domain.Audit;

/// <summary>What an <see cref="AuditEntry"/> records.</summary>
public enum AuditAction
{
    TenantSignedUp,
    TenantProvisioned,
    ProvisioningRetried,
    TokenIssued,
    InstallationsRefreshed,
    AdminQuery,
    TenantOffboarded,
    TenantDeprovisioned,
    AlloyUserMissing,
    WebhookEndpointCreated,
    WebhookEndpointChanged,
    WebhookEndpointDeleted,
    WebhookSecretRotated,
    WebhookReplayed,
    EventReplayed,
}
