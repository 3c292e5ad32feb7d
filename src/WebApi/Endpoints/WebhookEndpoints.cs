using IntegrationHub.Application.Installations.ReceiveInstallationWebhook;
using IntegrationHub.Application.IntegrationErrors.ReceiveAlloyErrorWebhook;
using IntegrationHub.WebApi.Errors;
using IntegrationHub.WebApi.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary>
/// <c>/api/webhooks</c>: deliveries from Alloy. Anonymous to the hub's authentication (Alloy holds no hub key), but
/// nothing is accepted unless it carries Alloy's signature (see docs/adr/0007-alloy-error-webhooks.md).
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks").AllowAnonymous();

        group.MapPost("/alloy/errors", ReceiveAlloyError)
            .WithSummary("Alloy's workflow error stream: verified by X-Alloy-Signature, deduplicated on X-Alloy-ExecutionUuid, stored.")
            .WithDescription("Send Alloy's error record as the body with the X-Alloy-* headers and X-Alloy-Signature "
                + "(hex RSA PKCS#1 v1.5 SHA-256 over METHOD + URL + BODY). 202: stored; 200: a repeat of a stored execution.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/alloy/installations", ReceiveAlloyInstallation)
            .WithSummary("Alloy's Integration Installation Webhook: verified by X-Alloy-Signature, stored, resolved in the background.")
            .WithDescription("Send Alloy's body {userId, workflowIds, integrationId, credentials, success} with X-Alloy-Signature "
                + "(hex RSA PKCS#1 v1.5 SHA-256 over METHOD + URL + BODY). 202: stored; a job finds the installation in the account "
                + "listing and updates the tenant's records (history source Webhook). success=false and users no tenant has are "
                + "recorded only (see GET /api/admin/installation-webhooks).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Accepted<ReceiveAlloyErrorWebhookResponse>, Ok<ReceiveAlloyErrorWebhookResponse>, ProblemHttpResult>> ReceiveAlloyError(
        HttpContext http, AlloyWebhookReader reader, ISender sender, CancellationToken cancellationToken)
    {
        var read = await reader.ReadAsync(http, cancellationToken);
        if (read.Delivery is not { } delivery)
        {
            return read.Problem!;
        }

        var result = await sender.Send(
            new ReceiveAlloyErrorWebhookCommand(
                delivery.ExecutionId, delivery.WorkflowId, delivery.UserId, delivery.BlockName, delivery.BlockType, delivery.Body),
            cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem(http);
        }

        return result.Value.Duplicate ? TypedResults.Ok(result.Value) : TypedResults.Accepted((string?)null, result.Value);
    }

    public static async Task<Results<Accepted<ReceiveInstallationWebhookResponse>, ProblemHttpResult>> ReceiveAlloyInstallation(
        HttpContext http, AlloyWebhookReader reader, ISender sender, CancellationToken cancellationToken)
    {
        var read = await reader.ReadAsync(http, cancellationToken);
        if (read.Delivery is not { } delivery)
        {
            return read.Problem!;
        }

        var result = await sender.Send(new ReceiveInstallationWebhookCommand(delivery.Body), cancellationToken);
        return result.IsSuccess ? TypedResults.Accepted((string?)null, result.Value) : result.Error.ToProblem(http);
    }
}
