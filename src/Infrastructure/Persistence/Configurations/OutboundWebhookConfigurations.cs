using IntegrationHub.Domain.OutboundWebhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("WebhookEndpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(WebhookEndpoint.MaxIdLength);
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.MaxDescriptionLength);
        builder.Property(e => e.DisabledReason).HasMaxLength(WebhookEndpoint.MaxReasonLength);
        builder.Property(e => e.Secret).HasMaxLength(WebhookEndpoint.MaxSecretLength).IsRequired();
        builder.Property(e => e.PreviousSecret).HasMaxLength(WebhookEndpoint.MaxSecretLength);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();

        // Event types are few and known: one comma-separated column, empty for "all".
        builder.Property<List<string>>("_eventTypes")
            .HasColumnName("EventTypes")
            .HasMaxLength(WebhookEndpoint.MaxEventTypesLength)
            .IsRequired()
            .HasConversion(
                v => string.Join(',', v),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))), v => v.ToList()));
        builder.Ignore(e => e.EventTypes);
    }
}

internal sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<WebhookMessage>
{
    public void Configure(EntityTypeBuilder<WebhookMessage> builder)
    {
        builder.ToTable("WebhookMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MessageId).HasMaxLength(WebhookMessage.MaxMessageIdLength).IsRequired();
        builder.Property(m => m.Type).HasMaxLength(WebhookMessage.MaxTypeLength).IsRequired();
        builder.Property(m => m.Body).IsRequired();
        builder.HasIndex(m => m.MessageId).IsUnique();
        // Replay of an endpoint's messages since a time.
        builder.HasIndex(m => m.CreatedAt);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.EndpointId).HasMaxLength(WebhookEndpoint.MaxIdLength).IsRequired();
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(Conversions.EnumLength);
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.Property(d => d.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasOne(d => d.Message).WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);

        // A message reaches an endpoint through one delivery; a replay starts that delivery again.
        builder.HasIndex(d => new { d.MessageId, d.EndpointId }).IsUnique();
        // The reconciler's scan: due deliveries by state and time.
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        // An endpoint's deliveries, newest first.
        builder.HasIndex(d => new { d.EndpointId, d.Id });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("WebhookAttempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.ResponseSnippet).HasMaxLength(WebhookAttempt.MaxSnippetLength);
        builder.Property(a => a.Error).HasMaxLength(WebhookAttempt.MaxErrorLength);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Id });
    }
}
