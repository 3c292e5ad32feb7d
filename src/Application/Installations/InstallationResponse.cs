using IntegrationHub.Domain.Installations;

namespace IntegrationHub.Application.Installations;

public sealed record InstallationResponse(
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSyncedAt,
    DateTimeOffset? RemovedAt)
{
    public static InstallationResponse From(Installation i) =>
        new(i.InstallationId, i.IntegrationId, i.IntegrationName, i.Enabled, i.InstalledAt, i.FirstSeenAt, i.LastSyncedAt, i.RemovedAt);
}

public sealed record InstallationsResponse(IReadOnlyList<InstallationResponse> Items);

/// <summary>An installation in a cross-tenant (admin) listing.</summary>
public sealed record TenantInstallationResponse(
    string TenantId,
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSyncedAt,
    DateTimeOffset? RemovedAt)
{
    public static TenantInstallationResponse From(Installation i) =>
        new(i.TenantId.Value, i.InstallationId, i.IntegrationId, i.IntegrationName, i.Enabled, i.InstalledAt, i.FirstSeenAt, i.LastSyncedAt, i.RemovedAt);
}
