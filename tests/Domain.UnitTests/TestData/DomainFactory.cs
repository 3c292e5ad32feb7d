using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.UnitTests.TestData;

/// <summary>Test data with sensible defaults; each test overrides only what it is about.</summary>
internal static class DomainFactory
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public static TenantId NewTenantId(string value = "acme") => TenantId.From(value);

    public static Tenant NewTenant(string tenantId = "acme", string name = "Acme Corp", DateTimeOffset? now = null) =>
        Tenant.Create(NewTenantId(tenantId), name, now ?? Now);

    public static AlloyAccount NewAccount(
        string tenantId = "acme",
        AlloyEnvironment environment = AlloyEnvironment.Development,
        string usernamePrefix = "hub-",
        DateTimeOffset? now = null) =>
        AlloyAccount.Create(NewTenantId(tenantId), environment, usernamePrefix, now ?? Now);

    /// <summary>An account driven through the domain's own verbs into <paramref name="state"/>.</summary>
    public static AlloyAccount AccountIn(ProvisioningState state, DateTimeOffset? now = null)
    {
        var at = now ?? Now;
        var account = NewAccount(now: at);
        switch (state)
        {
            case ProvisioningState.Pending:
                break;
            case ProvisioningState.Provisioning:
                account.BeginAttempt(at, Lease);
                break;
            case ProvisioningState.Provisioned:
                account.BeginAttempt(at, Lease);
                account.MarkProvisioned("user-1", at);
                break;
            case ProvisioningState.Failed:
                account.BeginAttempt(at, Lease);
                account.MarkFailed("Alloy said no.");
                break;
            case ProvisioningState.Deprovisioning:
                account.BeginDeprovisioning(at);
                break;
            case ProvisioningState.Deprovisioned:
                account.BeginDeprovisioning(at);
                account.MarkDeprovisioned(at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }

        account.State.ShouldBe(state);
        return account;
    }

    public static InstallationSnapshot NewSnapshot(
        string installationId = "inst-1",
        string integrationId = "int-slack",
        string integrationName = "Slack",
        bool enabled = true,
        DateTimeOffset? installedAt = null) =>
        new(installationId, integrationId, integrationName, enabled, installedAt ?? Now.AddMinutes(-5));

    public static Installation NewInstallation(
        InstallationSnapshot? snapshot = null,
        string tenantId = "acme",
        AlloyEnvironment environment = AlloyEnvironment.Development,
        DateTimeOffset? now = null,
        InstallationChangeSource source = InstallationChangeSource.FrontendRefresh) =>
        Installation.Discover(NewTenantId(tenantId), environment, snapshot ?? NewSnapshot(), now ?? Now, source);
}
