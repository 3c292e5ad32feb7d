using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Tenants.GetTenant;

public sealed record GetTenantQuery(string TenantId) : IQuery<Result<TenantResponse>>;

internal sealed class GetTenantQueryValidator : AbstractValidator<GetTenantQuery>
{
    public GetTenantQueryValidator() => RuleFor(q => q.TenantId).ValidTenantId();
}

internal sealed class GetTenantQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy)
    : IQueryHandler<GetTenantQuery, Result<TenantResponse>>
{
    public async ValueTask<Result<TenantResponse>> Handle(GetTenantQuery query, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(query.TenantId);
        var environment = alloy.CurrentValue.Environment;
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        if (tenant is null)
        {
            return TenantErrors.NotFound(query.TenantId);
        }

        var account = await db.AlloyAccounts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Environment == environment, cancellationToken);
        return TenantResponse.From(tenant, account);
    }
}
