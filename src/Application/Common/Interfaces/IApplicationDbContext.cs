using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>The hub's tables, as the use cases see them (no provider, no generic repository).</summary>
public interface IApplicationDbContext
{
    DbSet<Tenant> Tenants { get; }

    DbSet<AlloyAccount> AlloyAccounts { get; }

    DbSet<Installation> Installations { get; }

    DbSet<InstallationChange> InstallationChanges { get; }

    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<IntegrationError> IntegrationErrors { get; }

    DbSet<InstallationWebhook> InstallationWebhooks { get; }

    DbSet<WebhookEndpoint> WebhookEndpoints { get; }

    DbSet<WebhookMessage> WebhookMessages { get; }

    DbSet<WebhookDelivery> WebhookDeliveries { get; }

    DbSet<WebhookAttempt> WebhookAttempts { get; }

    DbSet<TenantEvent> TenantEvents { get; }

    DbSet<TenantEventAttempt> TenantEventAttempts { get; }

    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked entity (after a failed save that the handler recovers from).</summary>
    void ClearChangeTracker();
}
