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
    IQueryPlannerStatistics statistics,
    IBackgroundJobs jobs,
    AuditTrail audit,
    IOptionsMonitor<HubAlloyOptions> hub,
    IOptionsMonitor<SyncOptions> options,
    TimeProvider time,
    ILogger<SyncInstallationsCommandHandler> logger) : ICommandHandler<SyncInstallationsCommand, Result<SyncInstallationsResult>>
{
    /// <summary>
    /// Listed installations handled at once: the memory the sync holds is a chunk (plus 8 bytes per listed installation
    /// to detect removals), not the account; each chunk costs two indexed queries and one save.
    /// </summary>
    internal const int ChunkSize = 1000;

    public async ValueTask<Result<SyncInstallationsResult>> Handle(SyncInstallationsCommand command, CancellationToken cancellationToken)
    {
        var environment = hub.CurrentValue.Environment;
        var provisioned = db.AlloyAccounts.AsNoTracking()
            .Where(a => a.Environment == environment && a.State == ProvisioningState.Provisioned && a.UserId != null);
        if (!await provisioned.AnyAsync(cancellationToken))
        {
            return new SyncInstallationsResult(0, 0, 0, false);
        }

        // Alloy's listing is read as a stream and compared with the records a chunk at a time (never held whole).
        var pass = new SyncPass(await KnownNamesAsync(environment, cancellationToken));
        var read = await alloy.ReadInstallationsAsync(ChunkSize, (chunk, ct) => ApplyChunkAsync(pass, environment, chunk, ct), cancellationToken);
        if (!read.IsSuccess)
        {
            ReportWritten(pass);
            return read.Error;
        }

        await MarkVanishedAsync(pass, environment, cancellationToken);
        ReportWritten(pass);

        var accounts = await provisioned.Select(a => new { a.Id, a.TenantId, UserId = a.UserId! }).ToListAsync(cancellationToken);
        var (missing, tripped) = await DetectDriftAsync(accounts.Select(a => (a.Id, a.TenantId, a.UserId)).ToList(), cancellationToken);
        return new SyncInstallationsResult(pass.Tenants.Count, pass.Installations, missing, tripped);
    }

    /// <summary>One chunk: the provisioned accounts of its users (one indexed query), then the records of its installations.</summary>
    private async Task ApplyChunkAsync(SyncPass pass, AlloyEnvironment environment, IReadOnlyList<AlloyInstallation> chunk, CancellationToken cancellationToken)
    {
        var userIds = chunk.Select(i => i.UserId).Distinct(StringComparer.Ordinal).ToList();
        var tenantsByUser = (await db.AlloyAccounts.AsNoTracking()
                .Where(a => a.Environment == environment && a.State == ProvisioningState.Provisioned && a.UserId != null && userIds.Contains(a.UserId))
                .Select(a => new { a.TenantId, UserId = a.UserId! })
                .ToListAsync(cancellationToken))
            .ToDictionary(a => a.UserId, a => a.TenantId, StringComparer.Ordinal);

        var listed = new List<(TenantId, InstallationSnapshot)>(chunk.Count);
        var namesAsked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var installation in chunk)
        {
            if (!tenantsByUser.TryGetValue(installation.UserId, out var tenantId))
            {
                continue; // not a provisioned tenant's user
            }

            if (!pass.Names.ContainsKey(installation.IntegrationId) && namesAsked.Add(installation.UserId))
            {
                await AddNamesAsync(pass.Names, environment, installation.UserId, cancellationToken);
            }

            pass.Seen.Add(SyncPass.Key(tenantId, installation.InstallationId));
            pass.Tenants.Add(SyncPass.Key(tenantId, string.Empty));
            pass.Installations++;
            listed.Add((tenantId, new InstallationSnapshot(
                installation.InstallationId,
                installation.IntegrationId,
                pass.Names.GetValueOrDefault(installation.IntegrationId, string.Empty),
                installation.Enabled,
                installation.InstalledAt)));
        }

        if (listed.Count > 0)
        {
            pass.Written += await synchronizer.ApplyListedAsync(environment, listed, InstallationChangeSource.Sync, cancellationToken);
        }
    }

    /// <summary>
    /// The provisioned tenants' records that are still active but were not listed: removed in Alloy. Read a page at a
    /// time in id order (keyset), so this too holds a page, not the table.
    /// </summary>
    private async Task MarkVanishedAsync(SyncPass pass, AlloyEnvironment environment, CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            // A range of the primary key, filtered here: with the filter in SQL, SQLite chose the (Environment, Enabled)
            // index and sorted every match for each page (a scan of the table a page: quadratic, minutes at 500,000).
            var page = await db.Installations.AsNoTracking()
                .Where(i => i.Id > after)
                .OrderBy(i => i.Id)
                .Select(i => new { i.Id, i.TenantId, i.InstallationId, i.Environment, Active = i.RemovedAt == null })
                .Take(ChunkSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            after = page[^1].Id;
            var vanished = page
                .Where(i => i.Active && i.Environment == environment && !pass.Seen.Contains(SyncPass.Key(i.TenantId, i.InstallationId)))
                .ToList();
            if (vanished.Count == 0)
            {
                continue;
            }

            // Only the records of tenants the sync covers (provisioned with an Alloy user), as each tenant's refresh would.
            var tenantIds = vanished.Select(i => i.TenantId).Distinct().ToList();
            var covered = (await db.AlloyAccounts.AsNoTracking()
                    .Where(a => a.Environment == environment && a.State == ProvisioningState.Provisioned && a.UserId != null && tenantIds.Contains(a.TenantId))
                    .Select(a => a.TenantId)
                    .ToListAsync(cancellationToken))
                .ToHashSet();
            var ids = vanished.Where(i => covered.Contains(i.TenantId)).Select(i => i.Id).ToList();
            if (ids.Count > 0)
            {
                await synchronizer.MarkRemovedAsync(ids, InstallationChangeSource.Sync, cancellationToken);
                foreach (var tenantId in vanished.Where(i => covered.Contains(i.TenantId)).Select(i => i.TenantId))
                {
                    pass.Tenants.Add(SyncPass.Key(tenantId, string.Empty));
                }
            }
        }
    }

    private void ReportWritten(SyncPass pass)
    {
        if (pass.Written > 0)
        {
            statistics.RowsWritten(pass.Written);
        }
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

    private async Task AddNamesAsync(Dictionary<string, string> names, AlloyEnvironment environment, string userId, CancellationToken cancellationToken)
    {
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

/// <summary>
/// What one sync run carries from chunk to chunk: integration names, and 64-bit keys of the (tenant, installation)
/// pairs listed, to tell removed records without keeping the listing (a key collision, about 1 in 10^8 at 500,000
/// installations, would delay one removal to a later sync).
/// </summary>
internal sealed class SyncPass(Dictionary<string, string> names)
{
    public Dictionary<string, string> Names { get; } = names;

    public HashSet<ulong> Seen { get; } = [];

    public HashSet<ulong> Tenants { get; } = [];

    public int Installations { get; set; }

    public int Written { get; set; }

    /// <summary>FNV-1a over the tenant id, a separator and the installation id (stable, no allocation).</summary>
    public static ulong Key(TenantId tenantId, string installationId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in tenantId.Value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '\n') * 1099511628211UL;
        foreach (var c in installationId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
