using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.IntegrationErrors.GetTenantIntegrationErrors;

/// <summary>The Alloy workflow errors attributed to the tenant, newest first, cursor-paged.</summary>
public sealed record GetTenantIntegrationErrorsQuery(string TenantId, string? Cursor, int? Limit)
    : IQuery<Result<Page<IntegrationErrorResponse>>>;

internal sealed class GetTenantIntegrationErrorsQueryValidator : AbstractValidator<GetTenantIntegrationErrorsQuery>
{
    public GetTenantIntegrationErrorsQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId();
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class GetTenantIntegrationErrorsQueryHandler(IApplicationDbContext db)
    : IQueryHandler<GetTenantIntegrationErrorsQuery, Result<Page<IntegrationErrorResponse>>>
{
    public async ValueTask<Result<Page<IntegrationErrorResponse>>> Handle(
        GetTenantIntegrationErrorsQuery query, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(query.TenantId);
        if (!await db.Tenants.AnyAsync(t => t.TenantId == tenantId, cancellationToken))
        {
            return TenantErrors.NotFound(query.TenantId);
        }

        // Newest first, so errors arriving while someone pages never shift the pages still to come.
        return await db.IntegrationErrors.AsNoTracking()
            .Where(e => e.TenantId == tenantId)
            .ToPageAsync(e => e.Id, PageOrder.Descending, query.Cursor, query.Limit, IntegrationErrorResponse.From, cancellationToken);
    }
}
