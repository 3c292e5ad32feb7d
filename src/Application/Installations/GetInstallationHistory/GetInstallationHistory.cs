using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.GetInstallationHistory;

/// <summary>Admin: what happened to one installation (by Alloy's installation id), oldest first.</summary>
public sealed record GetInstallationHistoryQuery(string InstallationId) : IQuery<Result<InstallationHistoryResponse>>;

public sealed record InstallationHistoryResponse(string InstallationId, string TenantId, string IntegrationId, IReadOnlyList<InstallationChangeResponse> Items);

public sealed record InstallationChangeResponse(InstallationChangeKind Change, DateTimeOffset At, InstallationChangeSource Source);

internal sealed class GetInstallationHistoryQueryValidator : AbstractValidator<GetInstallationHistoryQuery>
{
    public GetInstallationHistoryQueryValidator() =>
        RuleFor(q => q.InstallationId).NotEmpty().MaximumLength(Installation.MaxIdLength);
}

internal sealed class GetInstallationHistoryQueryHandler(IApplicationDbContext db, IOptionsMonitor<HubAlloyOptions> alloy, AuditTrail audit)
    : IQueryHandler<GetInstallationHistoryQuery, Result<InstallationHistoryResponse>>
{
    public async ValueTask<Result<InstallationHistoryResponse>> Handle(GetInstallationHistoryQuery query, CancellationToken cancellationToken)
    {
        var environment = alloy.CurrentValue.Environment;
        var installation = await db.Installations.AsNoTracking()
            .FirstOrDefaultAsync(i => i.Environment == environment && i.InstallationId == query.InstallationId, cancellationToken);
        await audit.EnqueueAsync(
            AuditAction.AdminQuery,
            installation?.TenantId,
            AuditDetail.Filters("installation history", ("installationId", query.InstallationId)),
            cancellationToken);
        if (installation is null)
        {
            return new Error("installation-not-found", $"Installation '{query.InstallationId}' is not known to the hub.", ErrorType.NotFound);
        }

        var changes = await db.InstallationChanges.AsNoTracking()
            .Where(c => c.InstallationRef == installation.Id)
            .OrderBy(c => c.Id)
            .Select(c => new InstallationChangeResponse(c.Kind, c.At, c.Source))
            .ToListAsync(cancellationToken);
        return new InstallationHistoryResponse(installation.InstallationId, installation.TenantId.Value, installation.IntegrationId, changes);
    }
}
