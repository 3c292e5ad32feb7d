namespace IntegrationHub.Client.Models;

/// <summary>The body that registers a webhook endpoint.</summary>
/// <param name="Url">The https URL of the SaaS backend that receives the hub's webhooks.</param>
/// <param name="Description">A description for admins.</param>
/// <param name="EventTypes">The event types it receives (<see cref="Webhooks.WebhookEventTypes"/>); null or empty: all of them.</param>
public sealed record CreateWebhookEndpointRequest(string Url, string? Description = null, IReadOnlyList<string>? EventTypes = null);

/// <summary>A change to a webhook endpoint (PATCH): null members are left as they are.</summary>
/// <param name="Url">A new URL.</param>
/// <param name="Description">A new description.</param>
/// <param name="EventTypes">New event types (empty: all of them).</param>
/// <param name="Enabled">Enable or disable; re-enabling clears the reason it was disabled.</param>
public sealed record UpdateWebhookEndpointRequest(
    string? Url = null, string? Description = null, IReadOnlyList<string>? EventTypes = null, bool? Enabled = null);

/// <summary>A newly registered webhook endpoint, with its signing secret (shown here and on rotation only).</summary>
/// <param name="Id">The endpoint's id (<c>ep_…</c>).</param>
/// <param name="Url">Its URL.</param>
/// <param name="Description">Its description.</param>
/// <param name="EventTypes">The event types it receives (empty: all).</param>
/// <param name="Enabled">Whether it is enabled.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>) for <see cref="Webhooks.IntegrationHubWebhookVerifier"/>: store it as a secret.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record CreatedWebhookEndpoint(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string Secret,
    DateTimeOffset CreatedAt);

/// <summary>A webhook endpoint (never its secret).</summary>
/// <param name="Id">The endpoint's id (<c>ep_…</c>).</param>
/// <param name="Url">Its URL.</param>
/// <param name="Description">Its description.</param>
/// <param name="EventTypes">The event types it receives (empty: all).</param>
/// <param name="Enabled">Whether it is enabled.</param>
/// <param name="DisabledReason">Why the hub disabled it, if it did.</param>
/// <param name="FailingSince">Since when its deliveries fail, if they do.</param>
/// <param name="PreviousSecretExpiresAt">Until when the previous secret keeps signing after a rotation.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpoint(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Every webhook endpoint.</summary>
/// <param name="Items">The endpoints.</param>
public sealed record WebhookEndpoints(IReadOnlyList<WebhookEndpoint> Items);

/// <summary>A rotated signing secret.</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Secret">The new signing secret (<c>whsec_…</c>).</param>
/// <param name="PreviousSecretExpiresAt">Until when the previous secret keeps signing too.</param>
public sealed record RotatedWebhookSecret(string Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>Where a webhook delivery stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed.</summary>
    Failed,

    /// <summary>Cancelled (the endpoint was disabled).</summary>
    Cancelled,
}

/// <summary>A delivery of a webhook message to an endpoint.</summary>
/// <param name="Id">The delivery's id (the paging key).</param>
/// <param name="MessageId">The message (<c>msg_…</c>): the <c>webhook-id</c> header.</param>
/// <param name="Type">The event type.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="StatusCode">The HTTP status of the last attempt; null when none answered.</param>
/// <param name="DurationMs">How long the last attempt took.</param>
/// <param name="AttemptedAt">When the last attempt started.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
/// <param name="LastError">The last attempt's error.</param>
/// <param name="CreatedAt">When the delivery was created.</param>
public sealed record WebhookDelivery(
    long Id,
    string MessageId,
    string Type,
    WebhookDeliveryState Status,
    int? StatusCode,
    long? DurationMs,
    DateTimeOffset? AttemptedAt,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt);

/// <summary>How many deliveries a replay started again (or created).</summary>
/// <param name="Deliveries">The number of deliveries.</param>
public sealed record WebhookReplay(int Deliveries);
