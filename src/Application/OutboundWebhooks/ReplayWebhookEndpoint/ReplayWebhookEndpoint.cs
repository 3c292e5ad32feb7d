using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.ReplayWebhookEndpoint;

/// <summary>
/// Admin: delivers again to one enabled endpoint every message of its types written since <see cref="Since"/> (at most
/// <see cref="MaxMessages"/>, oldest first: call again with a later <c>since</c> for more), e.g. after its outage.
/// </summary>
public sealed record ReplayWebhookEndpointCommand(string? EndpointId, DateTimeOffset? Since) : ITransactionalCommand<Result<WebhookReplayResponse>>
{
    public const int MaxMessages = 10_000;
}

internal sealed class ReplayWebhookEndpointCommandValidator : AbstractValidator<ReplayWebhookEndpointCommand>
{
    public ReplayWebhookEndpointCommandValidator()
    {
        RuleFor(c => c.EndpointId).ValidEndpointId();
        RuleFor(c => c.Since).NotNull().WithMessage("since is required (an ISO 8601 date and time).");
    }
}

internal sealed class ReplayWebhookEndpointCommandHandler(IApplicationDbContext db, AuditTrail audit, TimeProvider time)
    : ICommandHandler<ReplayWebhookEndpointCommand, Result<WebhookReplayResponse>>
{
    public async ValueTask<Result<WebhookReplayResponse>> Handle(ReplayWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == command.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return WebhookEndpointErrors.NotFound(command.EndpointId!);
        }

        if (!endpoint.Enabled)
        {
            return new Error("webhook-endpoint-disabled", $"Webhook endpoint '{endpoint.Id}' is disabled; enable it first.", ErrorType.Conflict);
        }

        var since = command.Since!.Value;
        var now = time.GetUtcNow();
        var messages = await db.WebhookMessages
            .Where(m => m.CreatedAt >= since)
            .OrderBy(m => m.Id)
            .Take(ReplayWebhookEndpointCommand.MaxMessages)
            .ToListAsync(cancellationToken);
        messages = messages.Where(m => endpoint.Subscribes(m.Type)).ToList();
        var messageIds = messages.Select(m => m.Id).ToList();
        var existing = (await db.WebhookDeliveries
                .Where(d => d.EndpointId == endpoint.Id && messageIds.Contains(d.MessageId))
                .ToListAsync(cancellationToken))
            .ToDictionary(d => d.MessageId);
        foreach (var message in messages)
        {
            WebhookOutbox.DeliverAgain(db, message, endpoint, existing.GetValueOrDefault(message.Id), now);
        }

        audit.Add(AuditAction.WebhookReplayed, null, $"endpoint={endpoint.Id} since={since:O} messages={messages.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookReplayResponse(messages.Count);
    }
}
