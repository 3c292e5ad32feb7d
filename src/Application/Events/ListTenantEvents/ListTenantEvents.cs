using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Events.ListTenantEvents;

/// <summary>A tenant's events, newest first, cursor-paged, optionally of one status.</summary>
public sealed record ListTenantEventsQuery(string TenantId, TenantEventState? Status, string? Cursor, int? Limit)
    : IQuery<Result<Page<TenantEventResponse>>>;

internal sealed class ListTenantEventsQueryValidator : AbstractValidator<ListTenantEventsQuery>
{
    public ListTenantEventsQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId();
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class ListTenantEventsQueryHandler(IApplicationDbContext db)
    : IQueryHandler<ListTenantEventsQuery, Result<Page<TenantEventResponse>>>
{
    public async ValueTask<Result<Page<TenantEventResponse>>> Handle(ListTenantEventsQuery query, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(query.TenantId);
        if (!await db.Tenants.AsNoTracking().AnyAsync(t => t.TenantId == tenantId, cancellationToken))
        {
            return TenantErrors.NotFound(query.TenantId);
        }

        var rows = db.TenantEvents.AsNoTracking().Where(e => e.TenantId == tenantId);
        if (query.Status is { } status)
        {
            rows = rows.Where(e => e.State == status);
        }

        return await rows.ToPageAsync(e => e.Id, PageOrder.Descending, query.Cursor, query.Limit, TenantEventResponse.From, cancellationToken);
    }
}
