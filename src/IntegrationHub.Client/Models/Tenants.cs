namespace IntegrationHub.Client.Models;

/// <summary>A tenant's Alloy account provisioning state.</summary>
public enum ProvisioningState
{
    /// <summary>Signed up; the Alloy user is not created yet.</summary>
    Pending,

    /// <summary>The hub is creating the Alloy user.</summary>
    Provisioning,

    /// <summary>The Alloy user exists: the tenant can use integrations.</summary>
    Provisioned,

    /// <summary>Provisioning failed permanently; retry with <see cref="IIntegrationHubClient.RetryProvisioningAsync"/>.</summary>
    Failed,

    /// <summary>Offboarding: the hub is deleting the Alloy user and its logs.</summary>
    Deprovisioning,

    /// <summary>Offboarded: the Alloy user is deleted.</summary>
    Deprovisioned,
}

/// <summary>The Alloy environment an account lives in.</summary>
public enum AlloyEnvironment
{
    /// <summary>Alloy's development environment.</summary>
    Development,

    /// <summary>Alloy's production environment.</summary>
    Production,
}

/// <summary>The body of a signup (<c>POST /api/tenants</c>).</summary>
/// <param name="TenantId">The SaaS's own id of the tenant (the hub's key for it).</param>
/// <param name="Name">The tenant's display name.</param>
public sealed record SignUpTenantRequest(string TenantId, string Name);

/// <summary>A tenant with its Alloy account.</summary>
/// <param name="TenantId">The SaaS's id of the tenant.</param>
/// <param name="Name">The tenant's display name.</param>
/// <param name="CreatedAt">When it signed up.</param>
/// <param name="DeletedAt">When it was offboarded; null while active.</param>
/// <param name="Alloy">Its Alloy account; null when none exists.</param>
public sealed record Tenant(
    string TenantId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeletedAt,
    AlloyAccount? Alloy);

/// <summary>A tenant's Alloy account and where its provisioning stands.</summary>
/// <param name="Environment">The Alloy environment of the account.</param>
/// <param name="State">The provisioning state.</param>
/// <param name="UserId">Alloy's user id once provisioned.</param>
/// <param name="Username">The Alloy username the hub chose for the tenant.</param>
/// <param name="Attempts">How many provisioning attempts were made.</param>
/// <param name="LastError">The last attempt's error, if it failed.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while retrying.</param>
/// <param name="ProvisionedAt">When provisioning completed.</param>
public sealed record AlloyAccount(
    AlloyEnvironment Environment,
    ProvisioningState State,
    string? UserId,
    string Username,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ProvisionedAt);

/// <summary>The outcome of a signup.</summary>
/// <param name="Tenant">The tenant as the hub holds it.</param>
/// <param name="Created">True when this call created it (HTTP 202); false when it existed with the same name (HTTP 200).</param>
public sealed record SignUpResult(Tenant Tenant, bool Created);

/// <summary>A short-lived Alloy modal token for the tenant's frontend.</summary>
/// <param name="Token">The token (a secret: never log it).</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="UserId">The tenant's Alloy user id.</param>
public sealed record ModalToken(string Token, DateTimeOffset ExpiresAt, string UserId);
