using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.ListWebhookEndpoints;

/// <summary>Admin: every webhook endpoint, oldest first (there are few).</summary>
public sealed record ListWebhookEndpointsQuery : IQuery<Result<WebhookEndpointsResponse>>;

internal sealed class ListWebhookEndpointsQueryHandler(IApplicationDbContext db)
    : IQueryHandler<ListWebhookEndpointsQuery, Result<WebhookEndpointsResponse>>
{
    public async ValueTask<Result<WebhookEndpointsResponse>> Handle(ListWebhookEndpointsQuery query, CancellationToken cancellationToken)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().ToListAsync(cancellationToken);
        return new WebhookEndpointsResponse(endpoints.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).Select(WebhookEndpointResponse.From).ToList());
    }
}
