using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;

namespace IntegrationHub.Application.OutboundWebhooks.CreateWebhookEndpoint;

/// <summary>Admin: registers a URL of the SaaS backend for the hub's webhooks; empty or no event types: all of them.</summary>
public sealed record CreateWebhookEndpointCommand(string? Url, string? Description, IReadOnlyList<string>? EventTypes)
    : ITransactionalCommand<Result<CreatedWebhookEndpointResponse>>;

/// <summary>The one answer besides a rotation that shows the secret.</summary>
public sealed record CreatedWebhookEndpointResponse(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string Secret,
    DateTimeOffset CreatedAt);

internal sealed class CreateWebhookEndpointCommandValidator : AbstractValidator<CreateWebhookEndpointCommand>
{
    public CreateWebhookEndpointCommandValidator(IWebhookUrlPolicy urls)
    {
        RuleFor(c => c.Url).NotEmpty().WithMessage("url is required.")
            .MaximumLength(WebhookEndpoint.MaxUrlLength)
            .Custom((url, context) =>
            {
                if (!string.IsNullOrEmpty(url) && urls.Check(url) is { } problem)
                {
                    context.AddFailure(problem);
                }
            });
        RuleFor(c => c.Description).MaximumLength(WebhookEndpoint.MaxDescriptionLength);
        RuleFor(c => c.EventTypes).KnownEventTypes();
    }
}

internal sealed class CreateWebhookEndpointCommandHandler(IApplicationDbContext db, AuditTrail audit, TimeProvider time)
    : ICommandHandler<CreateWebhookEndpointCommand, Result<CreatedWebhookEndpointResponse>>
{
    public async ValueTask<Result<CreatedWebhookEndpointResponse>> Handle(CreateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = WebhookEndpoint.Create(command.Url!.Trim(), command.Description, command.EventTypes, time.GetUtcNow());
        db.WebhookEndpoints.Add(endpoint);
        audit.Add(AuditAction.WebhookEndpointCreated, null, $"endpoint={endpoint.Id} url={endpoint.DisplayUrl} eventTypes={Types(endpoint)}");
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookEndpointResponse(endpoint.Id, endpoint.Url, endpoint.Description, endpoint.EventTypes, endpoint.Enabled, endpoint.Secret, endpoint.CreatedAt);
    }

    internal static string Types(WebhookEndpoint endpoint) => endpoint.EventTypes.Count == 0 ? "all" : string.Join(',', endpoint.EventTypes);
}
