using System.Text.Json;

namespace IntegrationHub.Client.Models;

/// <summary>Where a SaaS event stands on its way to Alloy.</summary>
public enum EventStatus
{
    /// <summary>Accepted and held until the tenant is provisioned.</summary>
    Held,

    /// <summary>Accepted; delivery to Alloy is due or being retried.</summary>
    Pending,

    /// <summary>Delivered to Alloy.</summary>
    Delivered,

    /// <summary>Every attempt failed (an <c>event.failed</c> webhook is sent).</summary>
    Failed,
}

/// <summary>The body of <c>POST /api/tenants/{tenantId}/events</c>.</summary>
/// <param name="Event">The Alloy custom event's name.</param>
/// <param name="Data">The event's data: a JSON object.</param>
public sealed record SendEventRequest(string Event, JsonElement Data);

/// <summary>An accepted event.</summary>
/// <param name="EventId">The hub's id of the event.</param>
/// <param name="TenantId">The tenant it is for.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="AcceptedAt">When the hub accepted it.</param>
public sealed record AcceptedEvent(string EventId, string TenantId, string Event, EventStatus Status, DateTimeOffset AcceptedAt);

/// <summary>The outcome of sending one event.</summary>
/// <param name="Event">The accepted event.</param>
/// <param name="Created">True when this call created it (HTTP 202); false when the same <c>Idempotency-Key</c> and body were sent before (HTTP 200).</param>
public sealed record SendEventResult(AcceptedEvent Event, bool Created);

/// <summary>One event of a batch (<c>POST /api/events</c>).</summary>
/// <param name="TenantId">The tenant it is for.</param>
/// <param name="Event">The Alloy custom event's name.</param>
/// <param name="Data">The event's data: a JSON object.</param>
/// <param name="IdempotencyKey">Optional: the same key and body are accepted once.</param>
public sealed record BatchEvent(string TenantId, string Event, JsonElement Data, string? IdempotencyKey = null);

/// <summary>The body of <c>POST /api/events</c>.</summary>
/// <param name="Events">The events (at most 500).</param>
public sealed record SendEventBatchRequest(IReadOnlyList<BatchEvent> Events);

/// <summary>The outcome of one event of a batch.</summary>
/// <param name="Index">Its position in the batch.</param>
/// <param name="Status">An HTTP-like status: 202 accepted, 200 repeated, 4xx refused (see <paramref name="Error"/>).</param>
/// <param name="EventId">The event's id when accepted.</param>
/// <param name="Event">The accepted event.</param>
/// <param name="Error">The problem when refused.</param>
public sealed record BatchEventResult(int Index, int Status, string? EventId, EventSummary? Event, ProblemDetailsBody? Error);

/// <summary>The answer to a batch (HTTP 207).</summary>
/// <param name="Results">One result per event, by index.</param>
public sealed record SendEventBatchResult(IReadOnlyList<BatchEventResult> Results);

/// <summary>An event in a listing.</summary>
/// <param name="EventId">The hub's id of the event.</param>
/// <param name="TenantId">The tenant it is for.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Delivery attempts made.</param>
/// <param name="AcceptedAt">When the hub accepted it.</param>
/// <param name="DeliveredAt">When it was delivered.</param>
/// <param name="LastError">The last attempt's error.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
public sealed record EventSummary(
    string EventId,
    string TenantId,
    string Event,
    EventStatus Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    string? LastError,
    DateTimeOffset? NextAttemptAt);

/// <summary>One delivery attempt of an event to Alloy.</summary>
/// <param name="At">When it ended.</param>
/// <param name="DurationMs">How long Alloy took to answer (or fail).</param>
/// <param name="Outcome"><c>delivered</c>, <c>retrying</c> (a transient failure, tried again later), <c>failed</c> (refused, or the last attempt), or <c>deferred</c> (Alloy refused the hub's own key; no attempt spent).</param>
/// <param name="Error">Its error, if it did not deliver.</param>
public sealed record EventAttempt(DateTimeOffset At, long DurationMs, string Outcome, string? Error);

/// <summary>An event with its data and attempts.</summary>
/// <param name="EventId">The hub's id of the event.</param>
/// <param name="TenantId">The tenant it is for.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Delivery attempts since it was accepted or last replayed.</param>
/// <param name="AcceptedAt">When the hub accepted it.</param>
/// <param name="DeliveredAt">When it was delivered.</param>
/// <param name="NextAttemptAt">When the next attempt is due (Pending only).</param>
/// <param name="LastError">The last attempt's error.</param>
/// <param name="UserId">The Alloy user it was delivered to.</param>
/// <param name="Data">The event's data, as accepted.</param>
/// <param name="History">Every attempt, oldest first.</param>
public sealed record EventDetail(
    string EventId,
    string TenantId,
    string Event,
    EventStatus Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    string? UserId,
    JsonElement Data,
    IReadOnlyList<EventAttempt> History);

/// <summary>Filters of the admin events query (<c>GET /api/admin/events</c>); every filter is optional.</summary>
/// <param name="TenantId">Only this tenant's events.</param>
/// <param name="Status">Only events in this state.</param>
/// <param name="Event">Only events of this name.</param>
public sealed record EventQuery(string? TenantId = null, EventStatus? Status = null, string? Event = null);
