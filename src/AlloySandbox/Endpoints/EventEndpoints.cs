using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>E1 and E2: the account's custom events, and running one for a user.</summary>
internal static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/events", ListEvents).IsAlloyOperation("GET", "/events");
        api.MapPost("/run/event", RunEvent).IsAlloyOperation("POST", "/run/event");
    }

    public static IResult ListEvents() =>
        SandboxResults.Ok(new DataResponse<IReadOnlyList<CustomEventResponse>>(EventStore.ListEvents()));

    public static async Task<IResult> RunEvent(HttpContext http, EventStore store)
    {
        var body = await RequestBody.ReadAsync<RunEventRequest>(http.Request);
        return body.IsSuccess
            ? SandboxResults.From(await store.ReceiveAsync(http.Environment(), body.Value))
            : SandboxResults.Error(body.Error);
    }
}
