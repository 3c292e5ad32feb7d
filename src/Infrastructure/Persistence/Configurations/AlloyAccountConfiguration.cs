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
        // One Alloy user belongs to one tenant (the database's rule too), and Alloy's webhooks, which name the Alloy
        // user, find its tenant without a scan. Accounts not provisioned yet have no user (the index leaves them out).
        builder.HasIndex(a => new { a.Environment, a.UserId }).IsUnique().HasFilter(Conversions.NotNullFilter(nameof(AlloyAccount.UserId)));
    }
}
