using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.Tenants;

/// <summary>A customer account of the SaaS. Addressed by <see cref="TenantId"/>; <see cref="Id"/> is internal.</summary>
public sealed class Tenant
{
    public const int MaxNameLength = 200;

    private Tenant(TenantId tenantId, string name, DateTimeOffset createdAt)
    {
        TenantId = tenantId;
        Name = name;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    public static Tenant Create(TenantId tenantId, string name, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new DomainException($"A tenant name must be 1 to {MaxNameLength} characters.");
        }

        return new Tenant(tenantId, name.Trim(), now);
    }

    /// <summary>Whether a repeated signup with this name is the same signup (idempotent) or a conflict.</summary>
    public bool IsSameSignup(string name) => string.Equals(Name, name.Trim(), StringComparison.Ordinal);

    public void MarkDeleted(DateTimeOffset now) => DeletedAt ??= now;
}
