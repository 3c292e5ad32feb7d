using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.Tenants;

public static class TenantErrors
{
    public static Error NotFound(string tenantId) =>
        new("tenant-not-found", $"Tenant '{tenantId}' does not exist.", ErrorType.NotFound);

    public static Error Conflict(string tenantId) =>
        new("tenant-conflict", $"Tenant '{tenantId}' already exists with a different name.", ErrorType.Conflict);
}
