using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class TenantEventConfiguration : IEntityTypeConfiguration<TenantEvent>
{
    public void Configure(EntityTypeBuilder<TenantEvent> builder)
    {
        builder.ToTable("TenantEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.EventId).HasMaxLength(TenantEvent.MaxEventIdLength).IsRequired();
        builder.Property(e => e.TenantId).HasConversion(Conversions.TenantId).HasMaxLength(TenantId.MaxLength).IsRequired();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).HasPrincipalKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.Name).HasMaxLength(TenantEvent.MaxNameLength).IsRequired();
        builder.Property(e => e.Data).IsRequired();
        builder.Property(e => e.IdempotencyKey).HasMaxLength(TenantEvent.MaxIdempotencyKeyLength);
        builder.Property(e => e.RequestHash).HasMaxLength(TenantEvent.RequestHashLength).IsFixedLength().IsUnicode(false).IsRequired();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(e => e.LastError).HasMaxLength(TenantEvent.MaxErrorLength);
        builder.Property(e => e.UserId).HasMaxLength(64);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();

        builder.HasIndex(e => e.EventId).IsUnique();
        // Accepted once per key: concurrent requests with one key store one event (the database settles the race).
        builder.HasIndex(e => new { e.TenantId, e.IdempotencyKey }).IsUnique().HasFilter(Conversions.NotNullFilter(nameof(TenantEvent.IdempotencyKey)));
        // A tenant's delivery job: its held or due events in acceptance order; its listing by status.
        builder.HasIndex(e => new { e.TenantId, e.State, e.Id });
        // A tenant's events, newest first.
        builder.HasIndex(e => new { e.TenantId, e.Id });
        // The reconciler's scan: due events by state and time.
        builder.HasIndex(e => new { e.State, e.NextAttemptAt });
    }
}

internal sealed class TenantEventAttemptConfiguration : IEntityTypeConfiguration<TenantEventAttempt>
{
    public void Configure(EntityTypeBuilder<TenantEventAttempt> builder)
    {
        builder.ToTable("TenantEventAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Outcome).HasMaxLength(TenantEventAttempt.MaxOutcomeLength).IsRequired();
        builder.Property(a => a.Error).HasMaxLength(TenantEventAttempt.MaxErrorLength);
        builder.HasOne<TenantEvent>().WithMany().HasForeignKey(a => a.TenantEventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TenantEventId, a.Id });
    }
}
