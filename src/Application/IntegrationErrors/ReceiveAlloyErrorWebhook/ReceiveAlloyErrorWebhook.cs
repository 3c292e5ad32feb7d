using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.IntegrationErrors.ReceiveAlloyErrorWebhook;

/// <summary>
/// Alloy streamed a workflow error to the hub. The HTTP edge has already verified Alloy's signature over the body
/// (and the source address): this command only sees a delivery that is Alloy's. The values come from the
/// <c>X-Alloy-*</c> headers; <see cref="Body"/> is the body as received.
/// </summary>
public sealed record ReceiveAlloyErrorWebhookCommand(
    string? ExecutionId,
    string? WorkflowId,
    string? AlloyUserId,
    string? BlockName,
    string? BlockType,
    string? Body) : ITransactionalCommand<Result<ReceiveAlloyErrorWebhookResponse>>;

/// <param name="TenantId">The tenant the error was attributed to; null when no tenant has that Alloy user.</param>
/// <param name="Duplicate">True when this execution was received before (nothing new was stored).</param>
public sealed record ReceiveAlloyErrorWebhookResponse(string ExecutionId, string? TenantId, bool Duplicate);

internal sealed class ReceiveAlloyErrorWebhookCommandValidator : AbstractValidator<ReceiveAlloyErrorWebhookCommand>
{
    // Field names are the (case-insensitive) header names the values came from.
    public const string ExecutionIdField = "x-alloy-executionuuid";
    public const string UserIdField = "x-alloy-userid";
    public const string WorkflowIdField = "x-alloy-workflowid";
    public const string BodyField = "body";

    public ReceiveAlloyErrorWebhookCommandValidator()
    {
        RuleFor(c => c.ExecutionId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("The X-Alloy-ExecutionUuid header is required.")
            .MaximumLength(IntegrationError.MaxExecutionIdLength)
            .WithMessage($"X-Alloy-ExecutionUuid is at most {IntegrationError.MaxExecutionIdLength} characters.")
            .OverridePropertyName(ExecutionIdField);
        RuleFor(c => c.AlloyUserId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("The X-Alloy-UserId header is required.")
            .MaximumLength(IntegrationError.MaxAlloyIdLength)
            .WithMessage($"X-Alloy-UserId is at most {IntegrationError.MaxAlloyIdLength} characters.")
            .OverridePropertyName(UserIdField);
        RuleFor(c => c.WorkflowId)
            .MaximumLength(IntegrationError.MaxAlloyIdLength)
            .WithMessage($"X-Alloy-WorkflowId is at most {IntegrationError.MaxAlloyIdLength} characters.")
            .OverridePropertyName(WorkflowIdField);
        RuleFor(c => c.Body)
            .Must(AlloyErrorRecord.IsJsonObject).WithMessage("The body must be a JSON object (Alloy's error record).")
            .OverridePropertyName(BodyField);
    }
}

internal sealed class ReceiveAlloyErrorWebhookCommandHandler(
    IApplicationDbContext db,
    IOptionsMonitor<HubAlloyOptions> alloy,
    IWebhookOutbox webhooks,
    TimeProvider time,
    ILogger<ReceiveAlloyErrorWebhookCommandHandler> logger)
    : ICommandHandler<ReceiveAlloyErrorWebhookCommand, Result<ReceiveAlloyErrorWebhookResponse>>
{
    public async ValueTask<Result<ReceiveAlloyErrorWebhookResponse>> Handle(
        ReceiveAlloyErrorWebhookCommand command, CancellationToken cancellationToken)
    {
        var environment = alloy.CurrentValue.Environment;
        var executionId = command.ExecutionId!.Trim();
        var userId = command.AlloyUserId!.Trim();

        // Alloy may deliver one execution more than once: the first delivery is the record.
        if (await FindDuplicateAsync(environment, executionId, cancellationToken) is { } seen)
        {
            return seen;
        }

        var account = await db.AlloyAccounts.AsNoTracking()
            .Where(a => a.Environment == environment && a.UserId == userId)
            .OrderBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var error = IntegrationError.Receive(
            executionId,
            command.WorkflowId,
            userId,
            command.BlockName,
            command.BlockType,
            account?.TenantId,
            environment,
            AlloyErrorRecord.ErrorMessage(command.Body!),
            command.Body!,
            time.GetUtcNow());
        db.IntegrationErrors.Add(error);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same execution won the unique index: answer as a repeat of it.
            db.ClearChangeTracker();
            if (await FindDuplicateAsync(environment, executionId, cancellationToken) is { } winner)
            {
                return winner;
            }

            throw;
        }

        // Transactional: the webhook (which carries the stored error's id) commits with the error or not at all.
        await webhooks.AddAsync(WebhookEventTypes.IntegrationError, IntegrationErrorResponse.From(error), WebhookOutbox.VersionOf(error.ReceivedAt), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // Ids only: the payload and Alloy's message may carry customer data and stay out of the logs.
        logger.LogInformation(
            "Alloy error {ExecutionId} of workflow {WorkflowId} stored for tenant {TenantId} (Alloy user {AlloyUserId})",
            error.ExecutionId, error.WorkflowId, error.TenantId?.Value ?? "(none)", error.AlloyUserId);
        return new ReceiveAlloyErrorWebhookResponse(error.ExecutionId, error.TenantId?.Value, Duplicate: false);
    }

    private async Task<ReceiveAlloyErrorWebhookResponse?> FindDuplicateAsync(
        AlloyEnvironment environment, string executionId, CancellationToken cancellationToken)
    {
        var seen = await db.IntegrationErrors.AsNoTracking()
            .Where(e => e.Environment == environment && e.ExecutionId == executionId)
            .Select(e => new { e.ExecutionId, e.TenantId })
            .FirstOrDefaultAsync(cancellationToken);
        if (seen is null)
        {
            return null;
        }

        logger.LogDebug("Alloy error {ExecutionId} was received before; nothing stored", seen.ExecutionId);
        return new ReceiveAlloyErrorWebhookResponse(seen.ExecutionId, seen.TenantId?.Value, Duplicate: true);
    }
}
