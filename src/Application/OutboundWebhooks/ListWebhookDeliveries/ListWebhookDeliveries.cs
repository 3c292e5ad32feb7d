using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.OutboundWebhooks.ListWebhookDeliveries;

/// <summary>Admin: an endpoint's deliveries, newest first, cursor-paged, optionally of one state.</summary>
public sealed record ListWebhookDeliveriesQuery(string? EndpointId, WebhookDeliveryState? Status, string? Cursor, int? Limit)
    : IQuery<Result<Page<WebhookDeliveryResponse>>>;

/// <param name="StatusCode">The HTTP status of the last attempt; null when none answered.</param>
/// <param name="DurationMs">How long the last attempt took.</param>
/// <param name="AttemptedAt">When the last attempt started.</param>
public sealed record WebhookDeliveryResponse(
    long Id,
    string MessageId,
    string Type,
    WebhookDeliveryState Status,
    int? StatusCode,
    long? DurationMs,
    DateTimeOffset? AttemptedAt,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt);

internal sealed class ListWebhookDeliveriesQueryValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesQueryValidator()
    {
        RuleFor(q => q.EndpointId).ValidEndpointId();
        RuleFor(q => q.Status).IsInEnum().WithMessage("status is not a delivery state.");
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class ListWebhookDeliveriesQueryHandler(IApplicationDbContext db)
    : IQueryHandler<ListWebhookDeliveriesQuery, Result<Page<WebhookDeliveryResponse>>>
{
    public async ValueTask<Result<Page<WebhookDeliveryResponse>>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == query.EndpointId, cancellationToken))
        {
            return WebhookEndpointErrors.NotFound(query.EndpointId!);
        }

        var rows = db.WebhookDeliveries.AsNoTracking().Include(d => d.Message).Where(d => d.EndpointId == query.EndpointId);
        if (query.Status is { } status)
        {
            rows = rows.Where(d => d.State == status);
        }

        return await rows.ToPageAsync(
            d => d.Id,
            PageOrder.Descending,
            query.Cursor,
            query.Limit,
            d => new WebhookDeliveryResponse(
                d.Id, d.Message.MessageId, d.Message.Type, d.State, d.LastStatusCode, d.LastDurationMs, d.LastAttemptAt, d.Attempts,
                d.NextAttemptAt, d.LastError, d.CreatedAt),
            cancellationToken);
    }
}
