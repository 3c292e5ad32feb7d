using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class AlloyAccountConfiguration : IEntityTypeConfiguration<AlloyAccount>
{
    public void Configure(EntityTypeBuilder<AlloyAccount> builder)
    {
        builder.ToTable("AlloyAccounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength).IsRequired();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).HasPrincipalKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.Environment).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(a => a.Username).HasMaxLength(AlloyAccount.MaxUsernameLength).IsRequired();
        builder.Property(a => a.UserId).HasMaxLength(64);
        builder.Property(a => a.LastError).HasMaxLength(AlloyAccount.MaxErrorLength);
        builder.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();

        // One Alloy user per tenant per environment.
        builder.HasIndex(a => new { a.TenantId, a.Environment }).IsUnique();
        // The reconciler's scan: due accounts by state and time.
        builder.HasIndex(a => new { a.State, a.NextAttemptAt });
        // Alloy's error webhooks name the Alloy user: find its tenant without a scan.
        builder.HasIndex(a => new { a.Environment, a.UserId });
    }
}
