namespace IntegrationHub.Domain.Audit;

/// <summary>How the actor of an <see cref="AuditEntry"/> authenticated, or that it was the hub itself.</summary>
public enum AuditActorKind
{
    /// <summary>The SaaS backend, by service key.</summary>
    Service,

    /// <summary>An admin: a service key with the admin role, or a JWT carrying the admin role.</summary>
    Admin,

    /// <summary>A frontend user of one tenant, by JWT.</summary>
    TenantMember,

    /// <summary>The hub itself: background jobs, the reconciler, the start-up run.</summary>
    System,
}
