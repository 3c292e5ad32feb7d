using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> builder)
    {
        builder.ToTable("Installations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength).IsRequired();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).HasPrincipalKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Environment).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(i => i.InstallationId).HasMaxLength(Installation.MaxIdLength).IsRequired();
        builder.Property(i => i.IntegrationId).HasMaxLength(Installation.MaxIdLength).IsRequired();
        builder.Property(i => i.IntegrationName).HasMaxLength(Installation.MaxNameLength).IsRequired();

        builder.HasMany(i => i.History).WithOne().HasForeignKey(c => c.InstallationRef).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.History).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.HasIndex(i => new { i.Environment, i.InstallationId }).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Environment });
        builder.HasIndex(i => new { i.Environment, i.IntegrationId });
        // The admin listing's "enabled" filter, in id order (SQLite keeps the rowid in every index): without it that
        // filter sorted the whole table per page (bench/ P5).
        builder.HasIndex(i => new { i.Environment, i.Enabled });
    }
}

internal sealed class InstallationChangeConfiguration : IEntityTypeConfiguration<InstallationChange>
{
    public void Configure(EntityTypeBuilder<InstallationChange> builder)
    {
        builder.ToTable("InstallationChanges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.HasIndex(c => c.InstallationRef);
    }
}
