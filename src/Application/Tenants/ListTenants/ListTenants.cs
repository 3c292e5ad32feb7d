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
    public const int DefaultLimit = 50;

    public async ValueTask<Result<Page<TenantResponse>>> Handle(ListTenantsQuery query, CancellationToken cancellationToken)
    {
        var environment = alloy.CurrentValue.Environment;
        var limit = query.Limit ?? DefaultLimit;
        Cursor.TryDecode(query.Cursor, out var after);

        var rows = db.Tenants.AsNoTracking()
            .Where(t => t.Id > after)
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

        var page = await rows.OrderBy(r => r.Tenant.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(r => TenantResponse.From(r.Tenant, r.Account)).ToList();
        var next = page.Count > limit ? Cursor.Encode(page[limit - 1].Tenant.Id) : null;
        await audit.EnqueueAsync(AuditAction.AdminQuery, null, AuditDetail.Filters("tenants", ("state", query.State?.ToString())), cancellationToken);
        return new Page<TenantResponse>(items, next);
    }
}
