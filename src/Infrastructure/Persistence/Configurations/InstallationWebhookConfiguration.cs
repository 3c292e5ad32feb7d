using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class InstallationWebhookConfiguration : IEntityTypeConfiguration<InstallationWebhook>
{
    public void Configure(EntityTypeBuilder<InstallationWebhook> builder)
    {
        builder.ToTable("InstallationWebhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Environment).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(w => w.AlloyUserId).HasMaxLength(InstallationWebhook.MaxAlloyIdLength).IsRequired();
        builder.Property(w => w.IntegrationId).HasMaxLength(InstallationWebhook.MaxAlloyIdLength).IsRequired();

        // No foreign key to Tenants: a delivery may name a user no tenant has, and it is kept for admins.
        builder.Property(w => w.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength);
        builder.Property(w => w.RawPayload).IsRequired(); // unbounded column; the edge caps bodies at MaxPayloadBytes
        builder.Property(w => w.Status).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(w => w.InstallationId).HasMaxLength(InstallationWebhook.MaxAlloyIdLength);
        builder.Property(w => w.LastError).HasMaxLength(InstallationWebhook.MaxErrorLength);

        // The reconciler's scan (pending and due) and the admin listing of unmatched deliveries, newest first.
        builder.HasIndex(w => new { w.Status, w.NextAttemptAt });
        builder.HasIndex(w => new { w.TenantId, w.Id });
    }
}
