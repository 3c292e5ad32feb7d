using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Audit.QueryAuditLog;

/// <summary>Admin: the audit log, newest first, optionally for one tenant and/or one action, cursor-paged.</summary>
public sealed record QueryAuditLogQuery(string? TenantId, AuditAction? Action, string? Cursor, int? Limit)
    : IQuery<Result<Page<AuditEntryResponse>>>;

public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset At,
    AuditAction Action,
    string? TenantId,
    string Actor,
    AuditActorKind ActorKind,
    string? Detail,
    string? TraceId)
{
    public static AuditEntryResponse From(AuditEntry entry) =>
        new(entry.Id, entry.At, entry.Action, entry.TenantId?.Value, entry.Actor, entry.ActorKind, entry.Detail, entry.TraceId);
}

internal sealed class QueryAuditLogQueryValidator : AbstractValidator<QueryAuditLogQuery>
{
    public QueryAuditLogQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId().When(q => q.TenantId is not null);
        RuleFor(q => q.Action).IsInEnum().WithMessage("action is not an audit action.");
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class QueryAuditLogQueryHandler(IApplicationDbContext db, AuditTrail audit)
    : IQueryHandler<QueryAuditLogQuery, Result<Page<AuditEntryResponse>>>
{
    public async ValueTask<Result<Page<AuditEntryResponse>>> Handle(QueryAuditLogQuery query, CancellationToken cancellationToken)
    {
        TenantId? tenantId = query.TenantId is null ? null : TenantId.From(query.TenantId);
        var rows = db.AuditEntries.AsNoTracking();
        if (tenantId is { } tenant)
        {
            rows = rows.Where(e => e.TenantId == tenant);
        }

        if (query.Action is { } action)
        {
            rows = rows.Where(e => e.Action == action);
        }

        // Newest first: entries stored while someone pages never shift the pages still to come.
        var page = await rows.ToPageAsync(e => e.Id, PageOrder.Descending, query.Cursor, query.Limit, AuditEntryResponse.From, cancellationToken);

        await audit.EnqueueAsync(AuditAction.AdminQuery, tenantId, AuditDetail.Filters("audit", ("tenantId", query.TenantId), ("action", query.Action?.ToString())), cancellationToken);
        return page;
    }
}
