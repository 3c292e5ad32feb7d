using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>The hub's model, shared by the SQLite and SQL Server contexts (each has its own migrations).</summary>
public abstract class HubDbContext(DbContextOptions options) : DbContext(options), IApplicationDbContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<AlloyAccount> AlloyAccounts => Set<AlloyAccount>();

    public DbSet<Installation> Installations => Set<Installation>();

    public DbSet<InstallationChange> InstallationChanges => Set<InstallationChange>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<IntegrationError> IntegrationErrors => Set<IntegrationError>();

    public DbSet<InstallationWebhook> InstallationWebhooks => Set<InstallationWebhook>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    public DbSet<WebhookMessage> WebhookMessages => Set<WebhookMessage>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<TenantEvent> TenantEvents => Set<TenantEvent>();

    public DbSet<TenantEventAttempt> TenantEventAttempts => Set<TenantEventAttempt>();

    public void ClearChangeTracker() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
    }
}

public sealed class SqliteHubDbContext(DbContextOptions<SqliteHubDbContext> options) : HubDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values; store them as UTC ticks, which order correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class SqlServerHubDbContext(DbContextOptions<SqlServerHubDbContext> options) : HubDbContext(options);
