using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Application.OutboundWebhooks.CreateWebhookEndpoint;
using IntegrationHub.Application.OutboundWebhooks.DeleteWebhookEndpoint;
using IntegrationHub.Application.OutboundWebhooks.GetWebhookEndpoint;
using IntegrationHub.Application.OutboundWebhooks.ListWebhookDeliveries;
using IntegrationHub.Application.OutboundWebhooks.ListWebhookEndpoints;
using IntegrationHub.Application.OutboundWebhooks.ReplayWebhookEndpoint;
using IntegrationHub.Application.OutboundWebhooks.ReplayWebhookMessage;
using IntegrationHub.Application.OutboundWebhooks.RotateWebhookEndpointSecret;
using IntegrationHub.Application.OutboundWebhooks.UpdateWebhookEndpoint;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary><c>/api/admin/webhook-endpoints</c> and <c>/api/admin/webhook-messages</c>: the webhooks the hub sends to the SaaS backend.</summary>
public static class OutboundWebhookEndpoints
{
    public static IEndpointRouteBuilder MapOutboundWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Outbound webhooks").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/webhook-endpoints", CreateWebhookEndpoint)
            .WithSummary("Registers an endpoint for the hub's webhooks; the answer shows its signing secret (only here and on rotation).")
            .ProducesValidationProblem();
        group.MapGet("/webhook-endpoints", ListWebhookEndpoints).WithSummary("Every webhook endpoint.");
        group.MapGet("/webhook-endpoints/{endpointId}", GetWebhookEndpoint).WithSummary("One webhook endpoint.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/webhook-endpoints/{endpointId}", UpdateWebhookEndpoint)
            .WithSummary("Changes an endpoint's url, description, event types or enabled; re-enabling clears the reason it was disabled.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/webhook-endpoints/{endpointId}", DeleteWebhookEndpoint).WithSummary("Deletes an endpoint and its deliveries.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/webhook-endpoints/{endpointId}/rotate-secret", RotateWebhookEndpointSecret)
            .WithSummary("A new signing secret; the previous one keeps signing too for Webhooks:SecretOverlap.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/webhook-endpoints/{endpointId}/deliveries", ListWebhookDeliveries)
            .WithSummary("An endpoint's deliveries, newest first, cursor-paged: message, type, status, HTTP code, duration, time, attempts.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/webhook-endpoints/{endpointId}/replay", ReplayWebhookEndpoint)
            .WithSummary("Delivers again to the endpoint every message of its types since a time.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/webhook-messages/{messageId}/replay", ReplayWebhookMessage)
            .WithSummary("Delivers a message again to every enabled endpoint subscribed to its type.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedWebhookEndpointResponse>, ProblemHttpResult>> CreateWebhookEndpoint(
        CreateWebhookEndpointCommand command, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(command, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/api/admin/webhook-endpoints/{result.Value.Id}", result.Value)
            : result.Error.ToProblem(http);
    }

    public static async Task<Results<Ok<WebhookEndpointsResponse>, ProblemHttpResult>> ListWebhookEndpoints(
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new ListWebhookEndpointsQuery(), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> GetWebhookEndpoint(
        string endpointId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetWebhookEndpointQuery(endpointId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> UpdateWebhookEndpoint(
        string endpointId, UpdateWebhookEndpointCommand command, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(command with { EndpointId = endpointId }, cancellationToken)).ToHttpResult(http);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookEndpoint(
        string endpointId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new DeleteWebhookEndpointCommand(endpointId), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : result.Error.ToProblem(http);
    }

    public static async Task<Results<Ok<RotatedWebhookSecretResponse>, ProblemHttpResult>> RotateWebhookEndpointSecret(
        string endpointId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new RotateWebhookEndpointSecretCommand(endpointId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ProblemHttpResult>> ListWebhookDeliveries(
        string endpointId, [FromQuery] WebhookDeliveryState? status, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new ListWebhookDeliveriesQuery(endpointId, status, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Accepted<WebhookReplayResponse>, ProblemHttpResult>> ReplayWebhookEndpoint(
        string endpointId, [FromQuery] DateTimeOffset? since, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ReplayWebhookEndpointCommand(endpointId, since), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"/api/admin/webhook-endpoints/{endpointId}/deliveries", result.Value)
            : result.Error.ToProblem(http);
    }

    public static async Task<Results<Accepted<WebhookReplayResponse>, ProblemHttpResult>> ReplayWebhookMessage(
        string messageId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ReplayWebhookMessageCommand(messageId), cancellationToken);
        return result.IsSuccess ? TypedResults.Accepted((string?)null, result.Value) : result.Error.ToProblem(http);
    }
}
