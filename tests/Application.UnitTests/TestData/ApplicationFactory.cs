using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Installations.GetInstallationHistory;
using IntegrationHub.Application.Installations.QueryInstallations;
using IntegrationHub.Application.Tenants.ListTenants;
using IntegrationHub.Application.Tenants.SignUpTenant;
using IntegrationHub.Domain.AlloyAccounts;

namespace IntegrationHub.Application.UnitTests.TestData;

/// <summary>Requests and options with valid defaults; each test overrides only what it is about.</summary>
internal static class ApplicationFactory
{
    public static ProvisioningOptions NewProvisioningOptions(
        TimeSpan? baseDelay = null,
        TimeSpan? maxDelay = null,
        int maxAttempts = 8) =>
        new()
        {
            BaseDelay = baseDelay ?? TimeSpan.FromSeconds(2),
            MaxDelay = maxDelay ?? TimeSpan.FromMinutes(5),
            MaxAttempts = maxAttempts,
        };

    public static SignUpTenantCommand NewSignUp(string? tenantId = "acme", string? name = "Acme Corp") => new(tenantId, name);

    public static ListTenantsQuery NewListTenants(ProvisioningState? state = null, string? cursor = null, int? limit = null) =>
        new(state, cursor, limit);

    public static QueryInstallationsQuery NewQueryInstallations(
        string? tenantId = null,
        string? integrationId = null,
        bool? enabled = null,
        string? cursor = null,
        int? limit = null) =>
        new(tenantId, integrationId, enabled, cursor, limit);

    public static GetInstallationHistoryQuery NewGetInstallationHistory(string installationId = "inst-1") => new(installationId);
}
