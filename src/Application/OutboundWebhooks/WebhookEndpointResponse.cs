using FluentValidation;
using IntegrationHub.Domain.OutboundWebhooks;

namespace IntegrationHub.Application.OutboundWebhooks;

/// <summary>A webhook endpoint as the admin API shows it: never its secret (shown once, on creation and rotation).</summary>
public sealed record WebhookEndpointResponse(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.EventTypes, e.Enabled, e.DisabledReason, e.FailingSince, e.PreviousSecretExpiresAt, e.CreatedAt, e.UpdatedAt);
}

public sealed record WebhookEndpointsResponse(IReadOnlyList<WebhookEndpointResponse> Items);

/// <summary>How many deliveries a replay started again (or created).</summary>
public sealed record WebhookReplayResponse(int Deliveries);

internal static class WebhookValidation
{
    public static IRuleBuilderOptions<T, string?> ValidEndpointId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("An endpoint id is required.")
            .Must(id => IsId(id, WebhookEndpoint.IdPrefix, WebhookEndpoint.MaxIdLength))
            .WithMessage("An endpoint id is 'ep_' followed by letters and digits.");

    public static IRuleBuilderOptions<T, string?> ValidMessageId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A message id is required.")
            .Must(id => IsId(id, WebhookMessage.IdPrefix, WebhookMessage.MaxMessageIdLength))
            .WithMessage("A message id is 'msg_' followed by letters and digits.");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> KnownEventTypes<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(types => types is null || types.All(WebhookEventTypes.IsKnown))
            .WithMessage($"Unknown event type. Known types: {string.Join(", ", WebhookEventTypes.All)}.");

    private static bool IsId(string? id, string prefix, int max) =>
        id is not null && id.Length <= max && id.Length > prefix.Length && id.StartsWith(prefix, StringComparison.Ordinal)
        && id[prefix.Length..].All(char.IsAsciiLetterOrDigit);
}
