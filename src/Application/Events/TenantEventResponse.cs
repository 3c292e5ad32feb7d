using System.Text.Json;
using IntegrationHub.Domain.Events;

namespace IntegrationHub.Application.Events;

/// <summary>A tenant event as the API shows it.</summary>
/// <param name="Attempts">Attempts since it was accepted or last replayed.</param>
public sealed record TenantEventResponse(
    string EventId,
    string TenantId,
    string Event,
    TenantEventState Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt,
    string? LastError)
{
    public static TenantEventResponse From(TenantEvent e) => new(
        e.EventId,
        e.TenantId.Value,
        e.Name,
        e.State,
        e.Attempts,
        e.AcceptedAt,
        e.DeliveredAt,
        e.State == TenantEventState.Pending ? e.NextAttemptAt : null,
        e.LastError);
}

/// <summary>One event with its payload and every attempt, oldest first.</summary>
public sealed record TenantEventDetailResponse(
    string EventId,
    string TenantId,
    string Event,
    TenantEventState Status,
    int Attempts,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    string? UserId,
    JsonElement Data,
    IReadOnlyList<TenantEventAttemptResponse> History);

/// <param name="Outcome">delivered, retrying, failed or deferred.</param>
public sealed record TenantEventAttemptResponse(DateTimeOffset At, long DurationMs, string Outcome, string? Error);

/// <summary>The <c>data</c> of an <c>event.failed</c> webhook.</summary>
public sealed record EventFailedData(string EventId, string TenantId, string Event, int Attempts, string? LastError, DateTimeOffset FailedAt);
