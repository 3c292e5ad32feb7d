using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Events.QueryEvents;

/// <summary>Admin: events across tenants, newest first, cursor-paged, filtered by tenant, status and event name.</summary>
public sealed record QueryEventsQuery(string? TenantId, TenantEventState? Status, string? Event, string? Cursor, int? Limit)
    : IQuery<Result<Page<TenantEventResponse>>>;

internal sealed class QueryEventsQueryValidator : AbstractValidator<QueryEventsQuery>
{
    public QueryEventsQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId().When(q => q.TenantId is not null);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Event).MaximumLength(TenantEvent.MaxNameLength);
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class QueryEventsQueryHandler(IApplicationDbContext db, AuditTrail audit)
    : IQueryHandler<QueryEventsQuery, Result<Page<TenantEventResponse>>>
{
    public async ValueTask<Result<Page<TenantEventResponse>>> Handle(QueryEventsQuery query, CancellationToken cancellationToken)
    {
        var rows = db.TenantEvents.AsNoTracking();
        if (query.TenantId is not null)
        {
            var tenantId = TenantId.From(query.TenantId);
            rows = rows.Where(e => e.TenantId == tenantId);
        }

        if (query.Status is { } status)
        {
            rows = rows.Where(e => e.State == status);
        }

        if (!string.IsNullOrEmpty(query.Event))
        {
            rows = rows.Where(e => e.Name == query.Event);
        }

        var page = await rows.ToPageAsync(e => e.Id, PageOrder.Descending, query.Cursor, query.Limit, TenantEventResponse.From, cancellationToken);
        var detail = AuditDetail.Filters("events", ("tenantId", query.TenantId), ("status", query.Status?.ToString()), ("event", query.Event));
        await audit.EnqueueAsync(AuditAction.AdminQuery, null, detail, cancellationToken);
        return page;
    }
}
