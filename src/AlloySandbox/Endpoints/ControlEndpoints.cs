using System.Globalization;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Faults;
using IntegrationHub.AlloySandbox.Http;
using IntegrationHub.AlloySandbox.Store;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.AlloySandbox.Endpoints;

/// <summary>The <c>/_sandbox</c> control surface: no key, no faults, not counted.</summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder control)
    {
        control.MapGet("/health", Health);
        control.MapGet("/stats", Stats);
        control.MapGet("/faults", GetFaults);
        control.MapPut("/faults", PutFaults);
        control.MapDelete("/faults", DeleteFaults);
        // The gate (for tests that order concurrent callers): PUT {method, path, times, afterHandling} holds the next
        // `times` matching Alloy calls until DELETE opens it; GET shows what it holds and how many calls wait at it.
        control.MapGet("/gate", GetGate);
        control.MapPut("/gate", CloseGate);
        control.MapDelete("/gate", OpenGate);
        control.MapPost("/reset", Reset);
        control.MapGet("/users", Users);
        control.MapGet("/events", ReceivedEvents);
        SeedEndpoints.Map(control);
    }

    public static IResult Health() => SandboxResults.Ok(new HealthResponse("Healthy"));

    public static IResult Stats(UserStore users, EventStore events, CallCounter calls) =>
        SandboxResults.Ok(new StatsResponse(users.CountUsers(), calls.Snapshot(), events.Counts()));

    public static IResult GetFaults(FaultInjector faults) => SandboxResults.Ok(faults.Current);

    public static async Task<IResult> PutFaults(HttpContext http, FaultInjector faults)
    {
        var body = await RequestBody.ReadAsync<FaultSettings>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        return faults.Apply(body.Value ?? FaultSettings.None) is { } problem
            ? SandboxResults.Error(ApiError.BadRequest(problem))
            : SandboxResults.Ok(faults.Current);
    }

    public static IResult DeleteFaults(FaultInjector faults)
    {
        faults.Clear();
        return SandboxResults.Ok(faults.Current);
    }

    public static IResult GetGate(FaultInjector faults) => SandboxResults.Ok(faults.Gate);

    public static async Task<IResult> CloseGate(HttpContext http, FaultInjector faults)
    {
        var body = await RequestBody.ReadAsync<GateSettings>(http.Request);
        if (!body.IsSuccess)
        {
            return SandboxResults.Error(body.Error);
        }

        return faults.CloseGate(body.Value ?? new GateSettings()) is { } problem
            ? SandboxResults.Error(ApiError.BadRequest(problem))
            : SandboxResults.Ok(faults.Gate);
    }

    /// <summary>Opens the gate: the calls it holds go on.</summary>
    public static IResult OpenGate(FaultInjector faults)
    {
        faults.OpenGate();
        return SandboxResults.Ok(faults.Gate);
    }

    /// <summary>Clears all data (both environments), faults, the gate and counters; the token signing key stays.</summary>
    public static async Task<IResult> Reset(SandboxState state, FaultInjector faults, CallCounter calls)
    {
        await state.ResetAsync();
        faults.Clear();
        faults.OpenGate();
        calls.Clear();
        return SandboxResults.Ok(SuccessResponse.True);
    }

    public static IResult Users(UserStore users, string? environment)
    {
        if (!TryParseEnvironment(environment, out var filter))
        {
            return SandboxResults.Error(ApiError.BadRequest("environment must be Development or Production"));
        }

        return SandboxResults.Ok(new DataResponse<IReadOnlyList<SandboxUserResponse>>(users.DebugUsers(filter)));
    }

    /// <summary>
    /// The custom events E2 accepted, oldest first, filtered by <c>userId</c>, <c>event</c> and <c>environment</c> when
    /// given: the latest <c>limit</c> (1 to <see cref="EventStore.MaxListLimit"/>, default <see cref="EventStore.DefaultListLimit"/>).
    /// </summary>
    public static IResult ReceivedEvents(EventStore events, string? userId, [FromQuery(Name = "event")] string? eventName, string? environment, string? limit)
    {
        if (!TryParseEnvironment(environment, out var filter))
        {
            return SandboxResults.Error(ApiError.BadRequest("environment must be Development or Production"));
        }

        var take = EventStore.DefaultListLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > EventStore.MaxListLimit))
        {
            return SandboxResults.Error(ApiError.BadRequest($"limit must be a whole number between 1 and {EventStore.MaxListLimit}"));
        }

        return SandboxResults.Ok(events.Received(filter, NullIfEmpty(userId), NullIfEmpty(eventName), take));
    }

    private static bool TryParseEnvironment(string? environment, out SandboxEnvironment? filter)
    {
        filter = null;
        if (string.IsNullOrEmpty(environment))
        {
            return true;
        }

        if (!Enum.TryParse<SandboxEnvironment>(environment, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return false;
        }

        filter = parsed;
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Unknown sandbox routes answer like the rest of the API, with a JSON message.</summary>
    public static IResult NotFound() => SandboxResults.Error(ApiError.NotFound("Route"));
}
