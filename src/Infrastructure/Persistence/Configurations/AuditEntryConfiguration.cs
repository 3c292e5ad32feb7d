using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);

        // No foreign key to Tenants: the log outlives tenants and records queries about tenant ids that do not exist.
        builder.Property(e => e.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(e => e.Actor).HasMaxLength(AuditEntry.MaxActorLength).IsRequired();
        builder.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.MaxDetailLength);
        builder.Property(e => e.TraceId).HasMaxLength(AuditEntry.MaxTraceIdLength);

        // The admin query's two filters, each with the newest-first keyset order.
        builder.HasIndex(e => new { e.TenantId, e.Id });
        builder.HasIndex(e => new { e.Action, e.Id });
    }
}
