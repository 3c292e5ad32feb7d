using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Application.Tenants;

public sealed record TenantResponse(
    string TenantId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeletedAt,
    AlloyAccountResponse? Alloy)
{
    public static TenantResponse From(Tenant tenant, AlloyAccount? account) =>
        new(tenant.TenantId.Value, tenant.Name, tenant.CreatedAt, tenant.DeletedAt, account is null ? null : AlloyAccountResponse.From(account));
}

public sealed record AlloyAccountResponse(
    AlloyEnvironment Environment,
    ProvisioningState State,
    string? UserId,
    string Username,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ProvisionedAt)
{
    public static AlloyAccountResponse From(AlloyAccount account) =>
        new(account.Environment, account.State, account.UserId, account.Username, account.Attempts, account.LastError,
            account.NextAttemptAt, account.ProvisionedAt);
}
