using System.Runtime.CompilerServices;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using Mediator;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.QueryInstallations;

/// <summary>
/// Admin: every installation matching the filters after <paramref name="Cursor"/> (null: from the first), in id order, streamed from the
/// database in pages of <see cref="PageSize"/> by key: the rest of a CSV export
/// whose first page (validated and audited) was a <see cref="QueryInstallationsQuery"/> with the same filters. Not
/// audited again; never more than one page of rows in memory.
/// </summary>
public sealed record StreamInstallationsQuery(string? TenantId, string? IntegrationId, bool? Enabled, string? Cursor)
    : IStreamQuery<TenantInstallationResponse>
{
    /// <summary>Rows read per database query.</summary>
    public const int PageSize = ValidationRules.MaxPageSize;
}

internal sealed class StreamInstallationsQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy)
    : IStreamQueryHandler<StreamInstallationsQuery, TenantInstallationResponse>
{
    public async IAsyncEnumerable<TenantInstallationResponse> Handle(
        StreamInstallationsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Cursor.TryDecode(query.Cursor, out var afterId) && query.Cursor is not null)
        {
            throw new ArgumentException("The export continues from a cursor a page of the listing returned, or from the start.", nameof(query));
        }

        var filter = InstallationFilter.Of(alloy.CurrentValue.Environment, query.TenantId, query.IntegrationId, query.Enabled);
        var context = InstallationListing.Context(db);
        while (true)
        {
            // One query per page, each reader closed before the next opens; rows go to the caller as they are read.
            var read = 0;
            await foreach (var row in InstallationListing.After(context, filter, afterId, StreamInstallationsQuery.PageSize).WithCancellation(cancellationToken))
            {
                read++;
                afterId = row.Id;
                yield return row.Item;
            }

            if (read < StreamInstallationsQuery.PageSize)
            {
                yield break;
            }
        }
    }
}
