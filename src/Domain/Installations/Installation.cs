using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.Installations;

/// <summary>What Alloy last told us about one tenant's installation of one integration, with its history.</summary>
public sealed class Installation
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;

    private readonly List<InstallationChange> _history = [];

    /// <summary>For EF Core.</summary>
    private Installation()
    {
        InstallationId = null!;
        IntegrationId = null!;
        IntegrationName = null!;
    }

    private Installation(
        TenantId tenantId,
        AlloyEnvironment environment,
        string installationId,
        string integrationId,
        string integrationName,
        bool enabled,
        DateTimeOffset? installedAt,
        DateTimeOffset now)
    {
        TenantId = tenantId;
        Environment = environment;
        InstallationId = installationId;
        IntegrationId = integrationId;
        IntegrationName = integrationName;
        Enabled = enabled;
        InstalledAt = installedAt;
        FirstSeenAt = now;
        LastSyncedAt = now;
    }

    public long Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public AlloyEnvironment Environment { get; private set; }

    /// <summary>Alloy's installation id.</summary>
    public string InstallationId { get; private set; }

    public string IntegrationId { get; private set; }

    public string IntegrationName { get; private set; }

    public bool Enabled { get; private set; }

    public DateTimeOffset? InstalledAt { get; private set; }

    public DateTimeOffset FirstSeenAt { get; private set; }

    public DateTimeOffset LastSyncedAt { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }

    public IReadOnlyList<InstallationChange> History => _history;

    public static Installation Discover(
        TenantId tenantId,
        AlloyEnvironment environment,
        InstallationSnapshot snapshot,
        DateTimeOffset now,
        InstallationChangeSource source)
    {
        var installation = new Installation(
            tenantId,
            environment,
            snapshot.InstallationId,
            snapshot.IntegrationId,
            snapshot.IntegrationName,
            snapshot.Enabled,
            snapshot.InstalledAt,
            now);
        installation._history.Add(InstallationChange.Of(InstallationChangeKind.Installed, now, source));
        if (!snapshot.Enabled)
        {
            installation._history.Add(InstallationChange.Of(InstallationChangeKind.Disabled, now, source));
        }

        return installation;
    }

    /// <summary>Brings the record up to date with what Alloy says now; appends history for every change.</summary>
    /// <returns>Whether anything other than the sync time changed.</returns>
    public bool Apply(InstallationSnapshot snapshot, DateTimeOffset now, InstallationChangeSource source)
    {
        var changed = false;
        if (RemovedAt is not null)
        {
            RemovedAt = null;
            _history.Add(InstallationChange.Of(InstallationChangeKind.Installed, now, source));
            changed = true;
        }

        if (Enabled != snapshot.Enabled)
        {
            Enabled = snapshot.Enabled;
            _history.Add(InstallationChange.Of(
                snapshot.Enabled ? InstallationChangeKind.Enabled : InstallationChangeKind.Disabled, now, source));
            changed = true;
        }

        if (snapshot.InstalledAt is not null && InstalledAt != snapshot.InstalledAt)
        {
            InstalledAt = snapshot.InstalledAt;
            changed = true;
        }

        if (!string.IsNullOrEmpty(snapshot.IntegrationName) && IntegrationName != snapshot.IntegrationName)
        {
            IntegrationName = snapshot.IntegrationName;
            changed = true;
        }

        LastSyncedAt = now;
        return changed;
    }

    /// <summary>Alloy no longer lists the installation.</summary>
    public bool MarkRemoved(DateTimeOffset now, InstallationChangeSource source)
    {
        if (RemovedAt is not null)
        {
            return false;
        }

        RemovedAt = now;
        LastSyncedAt = now;
        _history.Add(InstallationChange.Of(InstallationChangeKind.Removed, now, source));
        return true;
    }
}

/// <summary>An installation as Alloy reports it at one moment.</summary>
public sealed record InstallationSnapshot(
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt);
