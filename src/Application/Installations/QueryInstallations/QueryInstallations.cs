using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using Mediator;
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

    /// <summary>
    /// The first page of a CSV export: audited once for the whole export as <c>installations export ...</c>; the rest
    /// of the export streams through <see cref="StreamInstallationsQuery"/>, not audited again.
    /// </summary>
    ExportStart,
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
        var filter = InstallationFilter.Of(alloy.CurrentValue.Environment, query.TenantId, query.IntegrationId, query.Enabled);
        var size = query.Limit ?? CursorPaging.DefaultLimit;
        Cursor.TryDecode(query.Cursor, out var afterId);

        // The keyset page of CursorPaging (one row more than asked for tells whether another page follows), read
        // through the compiled listing query.
        var items = new List<TenantInstallationResponse>(size);
        long lastId = 0;
        var more = false;
        await foreach (var row in InstallationListing.After(InstallationListing.Context(db), filter, afterId, size + 1).WithCancellation(cancellationToken))
        {
            if (items.Count == size)
            {
                more = true;
                break;
            }

            items.Add(row.Item);
            lastId = row.Id;
        }

        var page = new Page<TenantInstallationResponse>(items, more ? Cursor.Encode(lastId) : null);
        var detail = AuditDetail.Filters(
            query.Read == InstallationsRead.ExportStart ? "installations export" : "installations",
            ("tenantId", query.TenantId),
            ("integrationId", query.IntegrationId),
            ("enabled", query.Enabled is { } e ? (e ? "true" : "false") : null));
        await audit.EnqueueAsync(AuditAction.AdminQuery, filter.TenantId, detail, cancellationToken);
        return page;
    }
}
