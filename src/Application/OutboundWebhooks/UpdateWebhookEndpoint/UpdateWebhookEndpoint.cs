using System.Text.Json.Serialization;
using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.UpdateWebhookEndpoint;

/// <summary>
/// Admin: changes what is given and leaves the rest (PATCH). Re-enabling clears the reason it was disabled; disabling
/// cancels its pending deliveries.
/// </summary>
public sealed record UpdateWebhookEndpointCommand(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool? Enabled)
    : ITransactionalCommand<Result<WebhookEndpointResponse>>
{
    /// <summary>From the route, never from the body.</summary>
    [JsonIgnore]
    public string? EndpointId { get; init; }
}

internal sealed class UpdateWebhookEndpointCommandValidator : AbstractValidator<UpdateWebhookEndpointCommand>
{
    public UpdateWebhookEndpointCommandValidator(IWebhookUrlPolicy urls)
    {
        RuleFor(c => c.EndpointId).ValidEndpointId();
        RuleFor(c => c.Url).NotEmpty().WithMessage("url cannot be empty.").MaximumLength(WebhookEndpoint.MaxUrlLength)
            .Custom((url, context) =>
            {
                if (!string.IsNullOrEmpty(url) && urls.Check(url) is { } problem)
                {
                    context.AddFailure(problem);
                }
            })
            .When(c => c.Url is not null);
        RuleFor(c => c.Description).MaximumLength(WebhookEndpoint.MaxDescriptionLength);
        RuleFor(c => c.EventTypes).KnownEventTypes();
    }
}

internal sealed class UpdateWebhookEndpointCommandHandler(IApplicationDbContext db, AuditTrail audit, TimeProvider time)
    : ICommandHandler<UpdateWebhookEndpointCommand, Result<WebhookEndpointResponse>>
{
    public async ValueTask<Result<WebhookEndpointResponse>> Handle(UpdateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == command.EndpointId, cancellationToken);
        if (endpoint is null)
        {
            return WebhookEndpointErrors.NotFound(command.EndpointId!);
        }

        var now = time.GetUtcNow();
        var changes = new List<string>();
        if (command.Url is not null)
        {
            endpoint.ChangeUrl(command.Url.Trim(), now);
            changes.Add($"url={endpoint.DisplayUrl}");
        }

        if (command.Description is not null)
        {
            endpoint.ChangeDescription(command.Description, now);
            changes.Add("description");
        }

        if (command.EventTypes is not null)
        {
            endpoint.ChangeEventTypes(command.EventTypes, now);
            changes.Add($"eventTypes={(endpoint.EventTypes.Count == 0 ? "all" : string.Join(',', endpoint.EventTypes))}");
        }

        if (command.Enabled is { } enabled)
        {
            if (enabled)
            {
                endpoint.Enable(now);
            }
            else
            {
                endpoint.Disable("Disabled by an admin.", now);
                var pending = await db.WebhookDeliveries
                    .Where(d => d.EndpointId == endpoint.Id && d.State == WebhookDeliveryState.Pending)
                    .ToListAsync(cancellationToken);
                pending.ForEach(d => d.Cancel("The endpoint was disabled by an admin."));
            }

            changes.Add($"enabled={enabled}");
        }

        audit.Add(AuditAction.WebhookEndpointChanged, null, $"endpoint={endpoint.Id} {string.Join(' ', changes)}");
        await db.SaveChangesAsync(cancellationToken);
        return WebhookEndpointResponse.From(endpoint);
    }
}
