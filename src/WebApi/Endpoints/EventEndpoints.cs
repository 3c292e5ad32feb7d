using System.Text.Json;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Events;
using IntegrationHub.Application.Events.AcceptEventBatch;
using IntegrationHub.Application.Events.AcceptTenantEvent;
using IntegrationHub.Application.Events.GetTenantEvent;
using IntegrationHub.Application.Events.ListTenantEvents;
using IntegrationHub.Application.Events.QueryEvents;
using IntegrationHub.Application.Events.ReplayTenantEvent;
using IntegrationHub.Domain.Events;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary>The SaaS's application events, sent through to each tenant's Alloy workflows: intake, listings, replay.</summary>
public static class EventEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/tenants/{tenantId}/events").WithTags("Events")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        tenants.MapPost("/", Accept).RequireAuthorization(Policies.Service)
            .WithSummary("Accepts an application event for the tenant's Alloy workflows: stored before the answer (202), delivered at least once. The same Idempotency-Key with the same body answers the same event (200).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        tenants.MapGet("/", List).RequireAuthorization(Policies.TenantManage)
            .WithSummary("The tenant's events, newest first, cursor-paged; status Held, Pending, Delivered or Failed.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapGet("/{eventId}", Get).RequireAuthorization(Policies.TenantManage)
            .WithSummary("One event with its payload and every attempt.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/events", AcceptBatch).WithTags("Events").RequireAuthorization(Policies.Service)
            .WithSummary($"Accepts up to {Application.Common.Options.EventsOptions.MaxBatchSize} events for any tenants; 207 with one result per item (each accepted or refused on its own).")
            .Produces<EventBatchResponse>(StatusCodes.Status207MultiStatus)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        var admin = app.MapGroup("/api/admin/events").WithTags("Events").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("/", Query)
            .WithSummary("Events across tenants, newest first, cursor-paged; filter by tenantId, status and event.")
            .ProducesValidationProblem();
        admin.MapPost("/{eventId}/replay", Replay)
            .WithSummary("Sends a Failed event again, attempts counted from zero.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record AcceptEventRequest(string? Event, JsonElement? Data);

    public sealed record AcceptEventBatchRequest(IReadOnlyList<EventBatchItem?>? Events);

    /// <param name="Status">The HTTP status this item would have had alone: 202, 200 (same key, same body) or a 4xx.</param>
    /// <param name="Error">The problem, for a refused item.</param>
    public sealed record EventBatchResult(int Index, int Status, string? EventId, TenantEventResponse? Event, ProblemDetails? Error);

    public sealed record EventBatchResponse(IReadOnlyList<EventBatchResult> Results);

    public static async Task<Results<Accepted<TenantEventResponse>, Ok<TenantEventResponse>, ProblemHttpResult>> Accept(
        string tenantId, AcceptEventRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new AcceptTenantEventCommand(tenantId, request.Event, request.Data, idempotencyKey), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem(http);
        }

        var (accepted, created) = result.Value;
        return created
            ? TypedResults.Accepted($"/api/tenants/{Uri.EscapeDataString(tenantId)}/events/{accepted.EventId}", accepted)
            : TypedResults.Ok(accepted);
    }

    public static async Task<Results<JsonHttpResult<EventBatchResponse>, ProblemHttpResult>> AcceptBatch(
        AcceptEventBatchRequest request, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new AcceptEventBatchCommand(request.Events), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem(http);
        }

        var items = result.Value.Select(o => o.Result.IsSuccess
                ? new EventBatchResult(o.Index, o.Result.Value.Created ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, o.Result.Value.Event.EventId, o.Result.Value.Event, null)
                : new EventBatchResult(o.Index, ResultExtensions.StatusOf(o.Result.Error), null, null, ResultExtensions.ProblemOf(o.Result.Error)))
            .ToList();
        return TypedResults.Json(new EventBatchResponse(items), statusCode: StatusCodes.Status207MultiStatus);
    }

    public static async Task<Results<Ok<Page<TenantEventResponse>>, ProblemHttpResult>> List(
        string tenantId, [FromQuery] TenantEventState? status, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new ListTenantEventsQuery(tenantId, status, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<TenantEventDetailResponse>, ProblemHttpResult>> Get(
        string tenantId, string eventId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetTenantEventQuery(tenantId, eventId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<TenantEventResponse>>, ProblemHttpResult>> Query(
        [FromQuery] string? tenantId, [FromQuery] TenantEventState? status, [FromQuery(Name = "event")] string? eventName,
        [FromQuery] string? cursor, [FromQuery] int? limit, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new QueryEventsQuery(tenantId, status, eventName, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Accepted<TenantEventResponse>, ProblemHttpResult>> Replay(
        string eventId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ReplayTenantEventCommand(eventId), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"/api/tenants/{Uri.EscapeDataString(result.Value.TenantId)}/events/{result.Value.EventId}", result.Value)
            : result.Error.ToProblem(http);
    }
}
