using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.ReplayWebhookMessage;

/// <summary>
/// Admin: delivers a message again, from the start of the retry schedule, to every enabled endpoint subscribed to its
/// type (its earlier deliveries start again; an endpoint added since gets a new one). Same <c>webhook-id</c>.
/// </summary>
public sealed record ReplayWebhookMessageCommand(string? MessageId) : ITransactionalCommand<Result<WebhookReplayResponse>>;

internal sealed class ReplayWebhookMessageCommandValidator : AbstractValidator<ReplayWebhookMessageCommand>
{
    public ReplayWebhookMessageCommandValidator() => RuleFor(c => c.MessageId).ValidMessageId();
}

internal sealed class ReplayWebhookMessageCommandHandler(IApplicationDbContext db, AuditTrail audit, TimeProvider time)
    : ICommandHandler<ReplayWebhookMessageCommand, Result<WebhookReplayResponse>>
{
    public async ValueTask<Result<WebhookReplayResponse>> Handle(ReplayWebhookMessageCommand command, CancellationToken cancellationToken)
    {
        var message = await db.WebhookMessages.FirstOrDefaultAsync(m => m.MessageId == command.MessageId, cancellationToken);
        if (message is null)
        {
            return WebhookEndpointErrors.MessageNotFound(command.MessageId!);
        }

        var now = time.GetUtcNow();
        var endpoints = (await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken))
            .Where(e => e.Subscribes(message.Type)).ToList();
        var ids = endpoints.Select(e => e.Id).ToList();
        var existing = (await db.WebhookDeliveries.Where(d => d.MessageId == message.Id && ids.Contains(d.EndpointId)).ToListAsync(cancellationToken))
            .ToDictionary(d => d.EndpointId, StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            WebhookOutbox.DeliverAgain(db, message, endpoint, existing.GetValueOrDefault(endpoint.Id), now);
        }

        audit.Add(AuditAction.WebhookReplayed, null, $"message={message.MessageId} type={message.Type} endpoints={endpoints.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookReplayResponse(endpoints.Count);
    }
}
