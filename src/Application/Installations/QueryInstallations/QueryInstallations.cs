using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.QueryInstallations;

/// <summary>Admin: installations across tenants, filtered, cursor-paged in a stable order.</summary>
public sealed record QueryInstallationsQuery(string? TenantId, string? IntegrationId, bool? Enabled, string? Cursor, int? Limit)
    : IQuery<Result<Page<TenantInstallationResponse>>>
{
    /// <summary>Which read this page is for; one audit entry per admin request, however many pages it reads.</summary>
    public InstallationsRead Read { get; init; } = InstallationsRead.Page;
}

/// <summary>What a page of <see cref="QueryInstallationsQuery"/> is read for.</summary>
public enum InstallationsRead
{
    /// <summary>One page as the answer (JSON): audited as <c>installations ...</c>.</summary>
    Page,

    /// <summary>The first page of a CSV export: audited once for the whole export as <c>installations export ...</c>.</summary>
    ExportStart,

    /// <summary>A later page of the same export: not audited again.</summary>
    ExportContinuation,
}

internal sealed class QueryInstallationsQueryValidator : AbstractValidator<QueryInstallationsQuery>
{
    public QueryInstallationsQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId().When(q => q.TenantId is not null);
        RuleFor(q => q.IntegrationId).MaximumLength(Installation.MaxIdLength);
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class QueryInstallationsQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy, AuditTrail audit)
    : IQueryHandler<QueryInstallationsQuery, Result<Page<TenantInstallationResponse>>>
{
    public async ValueTask<Result<Page<TenantInstallationResponse>>> Handle(QueryInstallationsQuery query, CancellationToken cancellationToken)
    {
        var environment = alloy.CurrentValue.Environment;
        TenantId? tenantId = query.TenantId is null ? null : TenantId.From(query.TenantId);
        var rows = db.Installations.AsNoTracking().Where(i => i.Environment == environment);
        if (tenantId is { } tenant)
        {
            rows = rows.Where(i => i.TenantId == tenant);
        }

        if (query.IntegrationId is not null)
        {
            rows = rows.Where(i => i.IntegrationId == query.IntegrationId);
        }

        if (query.Enabled is { } enabled)
        {
            rows = rows.Where(i => i.Enabled == enabled);
        }

        var page = await rows.ToPageAsync(i => i.Id, PageOrder.Ascending, query.Cursor, query.Limit, TenantInstallationResponse.From, cancellationToken);
        if (query.Read == InstallationsRead.ExportContinuation)
        {
            return page;
        }

        var detail = AuditDetail.Filters(
            query.Read == InstallationsRead.ExportStart ? "installations export" : "installations",
            ("tenantId", query.TenantId),
            ("integrationId", query.IntegrationId),
            ("enabled", query.Enabled is { } e ? (e ? "true" : "false") : null));
        await audit.EnqueueAsync(AuditAction.AdminQuery, tenantId, detail, cancellationToken);
        return page;
    }
}
