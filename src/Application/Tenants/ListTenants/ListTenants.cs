using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Tenants.ListTenants;

/// <summary>Admin: tenants across the hub with their provisioning state in the current environment.</summary>
public sealed record ListTenantsQuery(ProvisioningState? State, string? Cursor, int? Limit) : IQuery<Result<Page<TenantResponse>>>;

internal sealed class ListTenantsQueryValidator : AbstractValidator<ListTenantsQuery>
{
    public ListTenantsQueryValidator()
    {
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class ListTenantsQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy, AuditTrail audit)
    : IQueryHandler<ListTenantsQuery, Result<Page<TenantResponse>>>
{
    public async ValueTask<Result<Page<TenantResponse>>> Handle(ListTenantsQuery query, CancellationToken cancellationToken)
    {
        var environment = alloy.CurrentValue.Environment;
        var rows = db.Tenants.AsNoTracking()
            .GroupJoin(
                db.AlloyAccounts.AsNoTracking().Where(a => a.Environment == environment),
                t => t.TenantId,
                a => a.TenantId,
                (t, accounts) => new { Tenant = t, Accounts = accounts })
            .SelectMany(x => x.Accounts.DefaultIfEmpty(), (x, a) => new { x.Tenant, Account = a });
        if (query.State is { } state)
        {
            rows = rows.Where(r => r.Account != null && r.Account.State == state);
        }

        var page = await rows.ToPageAsync(
            r => r.Tenant.Id, PageOrder.Ascending, query.Cursor, query.Limit, r => TenantResponse.From(r.Tenant, r.Account), cancellationToken);
        await audit.EnqueueAsync(AuditAction.AdminQuery, null, AuditDetail.Filters("tenants", ("state", query.State?.ToString())), cancellationToken);
        return page;
    }
}
