using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class IntegrationErrorConfiguration : IEntityTypeConfiguration<IntegrationError>
{
    public void Configure(EntityTypeBuilder<IntegrationError> builder)
    {
        builder.ToTable("IntegrationErrors");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ExecutionId).HasMaxLength(IntegrationError.MaxExecutionIdLength).IsRequired();
        builder.Property(e => e.WorkflowId).HasMaxLength(IntegrationError.MaxAlloyIdLength);
        builder.Property(e => e.AlloyUserId).HasMaxLength(IntegrationError.MaxAlloyIdLength).IsRequired();
        builder.Property(e => e.BlockName).HasMaxLength(IntegrationError.MaxBlockNameLength);
        builder.Property(e => e.BlockType).HasMaxLength(IntegrationError.MaxBlockTypeLength);

        // No foreign key to Tenants: an error may belong to no tenant (an Alloy user the hub does not know), and the
        // record of what failed outlives the tenant's offboarding like the audit log does.
        builder.Property(e => e.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength);
        builder.Property(e => e.Environment).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(e => e.ErrorMessage).HasMaxLength(IntegrationError.MaxErrorMessageLength);
        builder.Property(e => e.RawPayload).IsRequired(); // unbounded column; the edge caps bodies at MaxPayloadBytes

        // Deduplication: one row per Alloy execution per environment (a racing repeat loses on this index).
        builder.HasIndex(e => new { e.Environment, e.ExecutionId }).IsUnique();
        // The tenant route and the admin filters, each with the newest-first keyset order.
        builder.HasIndex(e => new { e.TenantId, e.Id });
        builder.HasIndex(e => new { e.WorkflowId, e.Id });
    }
}
