using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.GetTenantInstallations;

/// <summary>The tenant's installation records as last synced (no call to Alloy).</summary>
public sealed record GetTenantInstallationsQuery(string TenantId) : IQuery<Result<InstallationsResponse>>;

internal sealed class GetTenantInstallationsQueryValidator : AbstractValidator<GetTenantInstallationsQuery>
{
    public GetTenantInstallationsQueryValidator() => RuleFor(q => q.TenantId).ValidTenantId();
}

internal sealed class GetTenantInstallationsQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy)
    : IQueryHandler<GetTenantInstallationsQuery, Result<InstallationsResponse>>
{
    public async ValueTask<Result<InstallationsResponse>> Handle(GetTenantInstallationsQuery query, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(query.TenantId);
        var environment = alloy.CurrentValue.Environment;
        if (!await db.Tenants.AnyAsync(t => t.TenantId == tenantId, cancellationToken))
        {
            return TenantErrors.NotFound(query.TenantId);
        }

        var records = await db.Installations.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.Environment == environment)
            .OrderBy(i => i.Id)
            .ToListAsync(cancellationToken);
        return new InstallationsResponse(records.Select(InstallationResponse.From).ToList());
    }
}
