using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.Events;

public static class TenantEventErrors
{
    public static Error NotFound(string eventId) =>
        new("event-not-found", $"Event '{eventId}' does not exist.", ErrorType.NotFound);

    public static Error NotFailed(string eventId, TenantEventState state) =>
        new("event-not-failed", $"Event '{eventId}' is {state}; only a Failed event can be replayed.", ErrorType.Conflict);

    public static Error IdempotencyConflict(string key) =>
        new("idempotency-conflict", $"Idempotency-Key '{key}' was already used for another event or payload of this tenant.", ErrorType.Unprocessable);

    public static Error UnknownEvent(string name, IReadOnlyCollection<string> known) =>
        new("unknown-event", $"'{name}' is not a custom event of the Alloy account. Known events: {(known.Count == 0 ? "none" : string.Join(", ", known))}.", ErrorType.Unprocessable)
        {
            Extensions = new Dictionary<string, object?> { ["knownEvents"] = known.ToArray() },
        };

    public static Error DataTooLarge(int bytes, int limit) =>
        new("payload-too-large", $"'data' is {bytes} bytes; at most {limit} are accepted.", ErrorType.TooLarge);
}
