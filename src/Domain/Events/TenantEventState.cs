namespace IntegrationHub.Domain.Events;

/// <summary>Where a tenant event is on its way to the tenant's Alloy workflows.</summary>
public enum TenantEventState
{
    /// <summary>Accepted; the tenant has no provisioned Alloy user in the current environment yet. Goes out after provisioning.</summary>
    Held,

    /// <summary>Due for delivery at <see cref="TenantEvent.NextAttemptAt"/> (or being attempted under a lease until then).</summary>
    Pending,

    /// <summary>Alloy accepted it.</summary>
    Delivered,

    /// <summary>Alloy refused it, the attempts ran out, or the tenant was offboarded; an admin can replay it.</summary>
    Failed,
}
