using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// Custom events: the account's catalog (E1), the events E2 accepts for a user, and what the control routes show of
/// them. Every call on the data runs under <see cref="SandboxState"/>'s single lock.
/// </summary>
internal sealed class EventStore(SandboxState state, TimeProvider time)
{
    /// <summary>The most entries <c>GET /_sandbox/events</c> returns, and its default.</summary>
    public const int MaxListLimit = Partition.MaxReceivedEvents;

    public const int DefaultListLimit = 1000;

    /// <summary>E1: the catalog's events, the same in every environment.</summary>
    public static IReadOnlyList<CustomEventResponse> ListEvents() =>
        [.. EventCatalog.All.Select(e => new CustomEventResponse(e.Name, e.Description, e.Body))];

    /// <summary>
    /// E2: checks the request (fields 400, unknown event 400, <c>data</c> not an object 400, unknown user of this
    /// environment 404) and records the event for the user. The sandbox runs no workflow: it keeps what it received.
    /// </summary>
    public Task<Result<MessageResponse>> ReceiveAsync(SandboxEnvironment environment, RunEventRequest? request) =>
        state.WriteAsync<MessageResponse>(environment, partition =>
        {
            if (string.IsNullOrEmpty(request?.Event))
            {
                return ApiError.Required("event");
            }

            if (string.IsNullOrEmpty(request.UserId))
            {
                return ApiError.Required("userId");
            }

            if (request.Data is not { } data || data.ValueKind == JsonValueKind.Null)
            {
                return ApiError.Required("data");
            }

            if (data.ValueKind != JsonValueKind.Object)
            {
                return ApiError.BadRequest("data must be an object");
            }

            if (EventCatalog.Find(request.Event) is not { } known)
            {
                return ApiError.BadRequest($"Event '{request.Event}' does not exist");
            }

            var user = partition.FindUser(request.UserId);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            partition.AddReceivedEvent(new ReceivedEventRecord
            {
                Id = ObjectIds.New(time),
                Event = known.Name,
                UserId = user.UserId,
                Data = data.Clone(),
                ReceivedAt = time.GetUtcNow(),
                Sequence = state.NextSequence(),
            });
            partition.ReceivedEventCounts[known.Name] = partition.ReceivedEventCounts.GetValueOrDefault(known.Name) + 1;
            return new MessageResponse("Event successfully triggered");
        });

    /// <summary>
    /// The received events held that match the filters (all of them when a filter is null), across environments
    /// unless one is named: the latest <paramref name="limit"/> of them, oldest first.
    /// </summary>
    public ReceivedEventsResponse Received(SandboxEnvironment? environment, string? userId, string? eventName, int limit) =>
        state.ReadAll(partitions =>
        {
            var matching = partitions
                .Where(p => environment is null || p.Key == environment)
                .SelectMany(p => p.Value.ReceivedEvents
                    .Where(e => (userId is null || e.UserId == userId) && (eventName is null || e.Event == eventName))
                    .Select(e => (Environment: p.Key, Event: e)))
                .OrderBy(x => x.Event.Sequence)
                .ToList();
            var latest = matching.Skip(Math.Max(0, matching.Count - limit))
                .Select(x => new ReceivedEventResponse(
                    x.Event.Id, x.Environment.ToString(), x.Event.Event, x.Event.UserId, x.Event.Data, Timestamps.Iso(x.Event.ReceivedAt)))
                .ToList();
            return new ReceivedEventsResponse(latest.Count, matching.Count, latest);
        });

    /// <summary>Events accepted since the last reset: in all, per environment and per event name.</summary>
    public ReceivedEventCounts Counts() =>
        state.ReadAll(partitions =>
        {
            var byEnvironment = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var byEvent = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (environment, partition) in partitions)
            {
                byEnvironment[environment.ToString()] = partition.ReceivedEventCounts.Values.Sum();
                foreach (var (name, count) in partition.ReceivedEventCounts)
                {
                    byEvent[name] = byEvent.GetValueOrDefault(name) + count;
                }
            }

            return new ReceivedEventCounts(byEnvironment.Values.Sum(), byEnvironment, byEvent);
        });
}
