namespace IntegrationHub.Domain.AlloyAccounts;

public enum ProvisioningState
{
    /// <summary>Waiting for an attempt (new, or a retry after a transient failure).</summary>
    Pending,
    /// <summary>An attempt holds a lease until <see cref="AlloyAccount.NextAttemptAt"/>.</summary>
    Provisioning,
    Provisioned,
    /// <summary>Attempts exhausted or a permanent error; an admin may retry.</summary>
    Failed,
    Deprovisioning,
    Deprovisioned,
}
