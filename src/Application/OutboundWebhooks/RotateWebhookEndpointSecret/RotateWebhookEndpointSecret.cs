using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.OutboundWebhooks.RotateWebhookEndpointSecret;

/// <summary>Admin: a new signing secret; the old one keeps signing too for <c>Webhooks:SecretOverlap</c>.</summary>
public sealed record RotateWebhookEndpointSecretCommand(string? EndpointId) : ITransactionalCommand<Result<RotatedWebhookSecretResponse>>;

public sealed record RotatedWebhookSecretResponse(string Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);

internal sealed class RotateWebhookEndpointSecretCommandValidator : AbstractValidator<RotateWebhookEndpointSecretCommand>
{
    public RotateWebhookEndpointSecretCommandValidator() => RuleFor(c => c.EndpointId).ValidEndpointId();
}

internal sealed class RotateWebhookEndpointSecretCommandHandler(
    IApplicationDbContext db, AuditTrail audit, IOptionsMonitor<WebhooksOptions> options, TimeProvider time)
    : ICommandHandler<RotateWebhookEndpointSecretCommand, Result<RotatedWebhookSecretResponse>>
{
    public async ValueTask<Result<RotatedWebhookSecretResponse>> Handle(RotateWebhookEndpointSecretCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == command.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return WebhookEndpointErrors.NotFound(command.EndpointId!);
        }

        var overlap = options.CurrentValue.SecretOverlap;
        var secret = endpoint.RotateSecret(time.GetUtcNow(), overlap);
        audit.Add(AuditAction.WebhookSecretRotated, null, $"endpoint={endpoint.Id} overlap={overlap}");
        await db.SaveChangesAsync(cancellationToken);
        return new RotatedWebhookSecretResponse(endpoint.Id, secret, endpoint.PreviousSecretExpiresAt!.Value);
    }
}
