using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Contracts;

/// <summary>One custom event as E1 lists it.</summary>
internal sealed record CustomEventResponse(string Name, string Description, JsonElement Body);

/// <summary>E2's body: all three fields are required, <c>data</c> a JSON object.</summary>
internal sealed record RunEventRequest(string? Event, string? UserId, JsonElement? Data);

/// <summary>One E2 call the sandbox accepted, as <c>GET /_sandbox/events</c> lists it.</summary>
internal sealed record ReceivedEventResponse(string Id, string Environment, string Event, string UserId, JsonElement Data, string ReceivedAt);

/// <summary>
/// <c>GET /_sandbox/events</c>: <paramref name="Matched"/> received events match the filters (among those held),
/// <paramref name="Count"/> of them, the latest, are in <paramref name="Data"/>, oldest first.
/// </summary>
internal sealed record ReceivedEventsResponse(int Count, int Matched, IReadOnlyList<ReceivedEventResponse> Data);

/// <summary>Events E2 accepted since the last reset, in <c>/_sandbox/stats</c>.</summary>
internal sealed record ReceivedEventCounts(
    long Total,
    IReadOnlyDictionary<string, long> ByEnvironment,
    IReadOnlyDictionary<string, long> ByEvent);
