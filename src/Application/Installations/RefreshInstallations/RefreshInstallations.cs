using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Integrations;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using Mediator;

namespace IntegrationHub.Application.Installations.RefreshInstallations;

/// <summary>
/// Pulls the tenant's installations from Alloy now. The frontend calls it after the modal's callback reports
/// success (the callback carries no ids and may fire twice; refreshing twice is harmless).
/// </summary>
public sealed record RefreshInstallationsCommand(string TenantId) : ICommand<Result<InstallationsResponse>>;

internal sealed class RefreshInstallationsCommandValidator : AbstractValidator<RefreshInstallationsCommand>
{
    public RefreshInstallationsCommandValidator() => RuleFor(c => c.TenantId).ValidTenantId();
}

internal sealed class RefreshInstallationsCommandHandler(
    ProvisionedAccounts accounts,
    IAlloyClient alloy,
    UserIntegrationsCache userIntegrations,
    InstallationSynchronizer synchronizer,
    AuditTrail audit) : ICommandHandler<RefreshInstallationsCommand, Result<InstallationsResponse>>
{
    public async ValueTask<Result<InstallationsResponse>> Handle(RefreshInstallationsCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        var account = await accounts.RequireAsync(tenantId, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var (environment, userId) = (account.Value.Environment, account.Value.UserId!);
        // Alloy lists the whole account; only this user's entries are kept from the stream.
        var listed = await alloy.ListUserInstallationsAsync(userId, cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error;
        }

        // The install flags of the integration list changed too.
        await userIntegrations.InvalidateAsync(environment, userId, cancellationToken);
        var integrations = await userIntegrations.ListAsync(environment, userId, cancellationToken);
        var names = integrations.IsSuccess
            ? integrations.Value.ToDictionary(i => i.IntegrationId, i => i.Name, StringComparer.Ordinal)
            : [];

        var snapshots = listed.Value
            .Select(i => new InstallationSnapshot(
                i.InstallationId,
                i.IntegrationId,
                names.GetValueOrDefault(i.IntegrationId, string.Empty),
                i.Enabled,
                i.InstalledAt))
            .ToList();
        var records = await synchronizer.SyncTenantAsync(tenantId, environment, snapshots, InstallationChangeSource.FrontendRefresh, cancellationToken);
        await audit.EnqueueAsync(AuditAction.InstallationsRefreshed, tenantId, $"{records.Count} installation(s)", cancellationToken);
        return new InstallationsResponse(records.Select(InstallationResponse.From).ToList());
    }
}
