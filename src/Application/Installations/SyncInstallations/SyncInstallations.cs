using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Integrations;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.SyncInstallations;

/// <summary>
/// The recurring sync: lists Alloy's installations once for the whole account, upserts every provisioned tenant's
/// records (history on change, vanished ones marked removed), and detects drift: an account whose Alloy user no
/// longer exists is re-provisioned or flagged, per <see cref="SyncOptions.DriftPolicy"/>.
/// </summary>
public sealed record SyncInstallationsCommand : ICommand<Result<SyncInstallationsResult>>;

/// <param name="Tenants">Tenants whose records were synced.</param>
/// <param name="Installations">Installations Alloy listed for provisioned tenants.</param>
/// <param name="MissingUsers">Accounts whose Alloy user no longer exists.</param>
/// <param name="DriftGuardTripped">Too many looked missing at once: nothing was changed.</param>
public sealed record SyncInstallationsResult(int Tenants, int Installations, int MissingUsers, bool DriftGuardTripped);

internal sealed partial class SyncInstallationsCommandHandler(
    IApplicationDbContext db,
    IAlloyClient alloy,
    UserIntegrationsCache userIntegrations,
    InstallationSynchronizer synchronizer,
    IBackgroundJobs jobs,
    AuditTrail audit,
    IOptionsMonitor<HubAlloyOptions> hub,
    IOptionsMonitor<SyncOptions> options,
    TimeProvider time,
    ILogger<SyncInstallationsCommandHandler> logger) : ICommandHandler<SyncInstallationsCommand, Result<SyncInstallationsResult>>
{
    public async ValueTask<Result<SyncInstallationsResult>> Handle(SyncInstallationsCommand command, CancellationToken cancellationToken)
    {
        var environment = hub.CurrentValue.Environment;
        var accounts = await db.AlloyAccounts.AsNoTracking()
            .Where(a => a.Environment == environment && a.State == ProvisioningState.Provisioned && a.UserId != null)
            .Select(a => new { a.Id, a.TenantId, UserId = a.UserId! })
            .ToListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            return new SyncInstallationsResult(0, 0, 0, false);
        }

        var listed = await alloy.ListInstallationsAsync(cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error;
        }

        var byUser = listed.Value.GroupBy(i => i.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var active = (await db.Installations.AsNoTracking()
                .Where(i => i.Environment == environment && i.RemovedAt == null)
                .Select(i => i.TenantId)
                .Distinct()
                .ToListAsync(cancellationToken))
            .ToHashSet();
        var names = await KnownNamesAsync(environment, cancellationToken);

        var tenants = 0;
        var installations = 0;
        foreach (var account in accounts)
        {
            var current = byUser.GetValueOrDefault(account.UserId) ?? [];
            if (current.Count == 0 && !active.Contains(account.TenantId))
            {
                continue;
            }

            await AddMissingNamesAsync(names, current, environment, account.UserId, cancellationToken);
            var snapshots = current
                .Select(i => new InstallationSnapshot(i.InstallationId, i.IntegrationId, names.GetValueOrDefault(i.IntegrationId, string.Empty), i.Enabled, i.InstalledAt))
                .ToList();
            await synchronizer.SyncTenantAsync(account.TenantId, environment, snapshots, InstallationChangeSource.Sync, cancellationToken);
            db.ClearChangeTracker();
            tenants++;
            installations += current.Count;
        }

        var (missing, tripped) = await DetectDriftAsync(accounts.Select(a => (a.Id, a.TenantId, a.UserId)).ToList(), cancellationToken);
        return new SyncInstallationsResult(tenants, installations, missing, tripped);
    }

    private async Task<(int Missing, bool Tripped)> DetectDriftAsync(
        List<(long Id, TenantId TenantId, string UserId)> accounts, CancellationToken cancellationToken)
    {
        var users = await alloy.ListUsersAsync(cancellationToken);
        if (!users.IsSuccess)
        {
            LogDriftSkipped(logger, users.Error.Code);
            return (0, false);
        }

        var known = users.Value.Select(u => u.UserId).ToHashSet(StringComparer.Ordinal);
        var missing = accounts.Where(a => !known.Contains(a.UserId)).ToList();
        if (missing.Count == 0)
        {
            return (0, false);
        }

        var settings = options.CurrentValue;
        if (missing.Count > settings.DriftGuardMinimum && missing.Count > settings.DriftGuardRatio * accounts.Count)
        {
            LogDriftGuard(logger, missing.Count, accounts.Count);
            return (missing.Count, true);
        }

        var reprovision = settings.DriftPolicy == DriftPolicy.Reprovision;
        foreach (var (id, tenantId, userId) in missing)
        {
            var account = await db.AlloyAccounts.FirstAsync(a => a.Id == id, cancellationToken);
            if (account.State != ProvisioningState.Provisioned || account.UserId != userId)
            {
                continue;
            }

            account.ReportUserMissing(time.GetUtcNow(), reprovision);
            audit.AddBySystem(AuditAction.AlloyUserMissing, tenantId, $"userId={userId} policy={settings.DriftPolicy}");
            if (!await db.TrySaveChangesAsync(cancellationToken))
            {
                continue;
            }

            LogUserMissing(logger, tenantId.Value, userId, settings.DriftPolicy);
            if (reprovision)
            {
                jobs.EnqueueProvisioning(id);
            }
        }

        return (missing.Count, false);
    }

    private async Task<Dictionary<string, string>> KnownNamesAsync(AlloyEnvironment environment, CancellationToken cancellationToken)
    {
        var pairs = await db.Installations.AsNoTracking()
            .Where(i => i.Environment == environment && i.IntegrationName != string.Empty)
            .Select(i => new { i.IntegrationId, i.IntegrationName })
            .Distinct()
            .ToListAsync(cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            names.TryAdd(pair.IntegrationId, pair.IntegrationName);
        }

        return names;
    }

    private async Task AddMissingNamesAsync(
        Dictionary<string, string> names, IReadOnlyList<AlloyInstallation> current, AlloyEnvironment environment, string userId, CancellationToken cancellationToken)
    {
        if (current.All(i => names.ContainsKey(i.IntegrationId)))
        {
            return;
        }

        var integrations = await userIntegrations.ListAsync(environment, userId, cancellationToken);
        if (integrations.IsSuccess)
        {
            foreach (var integration in integrations.Value)
            {
                names.TryAdd(integration.IntegrationId, integration.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift detection skipped: listing Alloy users failed with {ErrorCode}")]
    private static partial void LogDriftSkipped(ILogger logger, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Drift guard: {Missing} of {Accounts} Alloy users look missing at once; nothing changed. Check Alloy:ApiKey and Alloy:Environment")]
    private static partial void LogDriftGuard(ILogger logger, int missing, int accounts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alloy user {UserId} of tenant {TenantId} no longer exists; policy {Policy}")]
    private static partial void LogUserMissing(ILogger logger, string tenantId, string userId, DriftPolicy policy);
}
