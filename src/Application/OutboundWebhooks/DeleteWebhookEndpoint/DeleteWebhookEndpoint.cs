using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.DeleteWebhookEndpoint;

/// <summary>Admin: removes an endpoint with its deliveries and attempts (a queued delivery job then finds nothing).</summary>
public sealed record DeleteWebhookEndpointCommand(string? EndpointId) : ITransactionalCommand<Result>;

internal sealed class DeleteWebhookEndpointCommandValidator : AbstractValidator<DeleteWebhookEndpointCommand>
{
    public DeleteWebhookEndpointCommandValidator() => RuleFor(c => c.EndpointId).ValidEndpointId();
}

internal sealed class DeleteWebhookEndpointCommandHandler(IApplicationDbContext db, AuditTrail audit)
    : ICommandHandler<DeleteWebhookEndpointCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == command.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return WebhookEndpointErrors.NotFound(command.EndpointId!);
        }

        db.WebhookEndpoints.Remove(endpoint);
        audit.Add(AuditAction.WebhookEndpointDeleted, null, $"endpoint={endpoint.Id} url={endpoint.DisplayUrl}");
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }
}
