using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.AlloyAccounts;

public static class AlloyAccountErrors
{
    public static Error NotFailed(TenantId tenantId, ProvisioningState state) =>
        new("provisioning-not-failed", $"Tenant '{tenantId}' is {state}; only a Failed account can be retried.", ErrorType.Conflict);

    public static Error Pending(TenantId tenantId, TimeSpan retryAfter) =>
        new("provisioning-pending", $"The Alloy user of tenant '{tenantId}' is still being provisioned. Try again shortly.", ErrorType.Pending)
        {
            RetryAfter = retryAfter,
        };

    public static Error Failed(TenantId tenantId, string? reason) =>
        new("provisioning-failed", $"Provisioning the Alloy user of tenant '{tenantId}' failed: {reason ?? "unknown reason"}. An admin can retry it.", ErrorType.Conflict);

    public static Error Offboarded(TenantId tenantId) =>
        new("tenant-offboarded", $"Tenant '{tenantId}' has been offboarded.", ErrorType.Conflict);
}
