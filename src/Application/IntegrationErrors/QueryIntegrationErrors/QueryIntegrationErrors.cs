using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.IntegrationErrors;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.IntegrationErrors.QueryIntegrationErrors;

/// <summary>
/// Admin: Alloy workflow errors across tenants, newest first, cursor-paged, optionally for one tenant and/or one
/// workflow. Without a tenant filter this includes errors of Alloy users no tenant has (their <c>tenantId</c> is null).
/// </summary>
public sealed record QueryIntegrationErrorsQuery(string? TenantId, string? WorkflowId, string? Cursor, int? Limit)
    : IQuery<Result<Page<IntegrationErrorResponse>>>;

internal sealed class QueryIntegrationErrorsQueryValidator : AbstractValidator<QueryIntegrationErrorsQuery>
{
    public QueryIntegrationErrorsQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId().When(q => q.TenantId is not null);
        RuleFor(q => q.WorkflowId).NotEmpty().MaximumLength(IntegrationError.MaxAlloyIdLength).When(q => q.WorkflowId is not null)
            .WithMessage($"workflowId is 1 to {IntegrationError.MaxAlloyIdLength} characters.");
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class QueryIntegrationErrorsQueryHandler(IApplicationDbContext db, AuditTrail audit)
    : IQueryHandler<QueryIntegrationErrorsQuery, Result<Page<IntegrationErrorResponse>>>
{
    public async ValueTask<Result<Page<IntegrationErrorResponse>>> Handle(
        QueryIntegrationErrorsQuery query, CancellationToken cancellationToken)
    {
        TenantId? tenantId = query.TenantId is null ? null : TenantId.From(query.TenantId);
        var rows = db.IntegrationErrors.AsNoTracking();
        if (tenantId is { } tenant)
        {
            rows = rows.Where(e => e.TenantId == tenant);
        }

        if (query.WorkflowId is not null)
        {
            rows = rows.Where(e => e.WorkflowId == query.WorkflowId);
        }

        var page = await rows.ToPageAsync(e => e.Id, PageOrder.Descending, query.Cursor, query.Limit, IntegrationErrorResponse.From, cancellationToken);

        var detail = AuditDetail.Filters("integration-errors", ("tenantId", query.TenantId), ("workflowId", query.WorkflowId));
        await audit.EnqueueAsync(AuditAction.AdminQuery, tenantId, detail, cancellationToken);
        return page;
    }
}
