using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.GetWebhookEndpoint;

public sealed record GetWebhookEndpointQuery(string? EndpointId) : IQuery<Result<WebhookEndpointResponse>>;

internal sealed class GetWebhookEndpointQueryValidator : AbstractValidator<GetWebhookEndpointQuery>
{
    public GetWebhookEndpointQueryValidator() => RuleFor(q => q.EndpointId).ValidEndpointId();
}

internal sealed class GetWebhookEndpointQueryHandler(IApplicationDbContext db)
    : IQueryHandler<GetWebhookEndpointQuery, Result<WebhookEndpointResponse>>
{
    public async ValueTask<Result<WebhookEndpointResponse>> Handle(GetWebhookEndpointQuery query, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == query.EndpointId, cancellationToken);
        return endpoint is null ? WebhookEndpointErrors.NotFound(query.EndpointId!) : WebhookEndpointResponse.From(endpoint);
    }
}
