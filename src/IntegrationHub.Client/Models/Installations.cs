using System.Text.Json;

namespace IntegrationHub.Client.Models;

/// <summary>One of a tenant's installation records.</summary>
/// <param name="InstallationId">Alloy's installation id.</param>
/// <param name="IntegrationId">The installed integration.</param>
/// <param name="IntegrationName">The integration's name.</param>
/// <param name="Enabled">Whether the installation is enabled.</param>
/// <param name="InstalledAt">When Alloy says it was installed.</param>
/// <param name="FirstSeenAt">When the hub first saw it.</param>
/// <param name="LastSyncedAt">When the hub last confirmed it with Alloy.</param>
/// <param name="RemovedAt">When it was removed; null while installed.</param>
public sealed record Installation(
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSyncedAt,
    DateTimeOffset? RemovedAt);

/// <summary>A tenant's installations.</summary>
/// <param name="Items">The installation records.</param>
public sealed record Installations(IReadOnlyList<Installation> Items);

/// <summary>An installation in a cross-tenant (admin) listing, and the data of the <c>installation.*</c> webhooks.</summary>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="InstallationId">Alloy's installation id.</param>
/// <param name="IntegrationId">The installed integration.</param>
/// <param name="IntegrationName">The integration's name.</param>
/// <param name="Enabled">Whether the installation is enabled.</param>
/// <param name="InstalledAt">When Alloy says it was installed.</param>
/// <param name="FirstSeenAt">When the hub first saw it.</param>
/// <param name="LastSyncedAt">When the hub last confirmed it with Alloy.</param>
/// <param name="RemovedAt">When it was removed; null while installed.</param>
public sealed record TenantInstallation(
    string TenantId,
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSyncedAt,
    DateTimeOffset? RemovedAt);

/// <summary>An integration a tenant may install.</summary>
/// <param name="IntegrationId">Alloy's integration id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Description">Its description.</param>
/// <param name="Icon">Its icon URL.</param>
/// <param name="Installed">Whether the tenant installed it.</param>
/// <param name="Credentials">The credentials it needs.</param>
public sealed record Integration(
    string IntegrationId,
    string Name,
    string? Description,
    string? Icon,
    bool Installed,
    IReadOnlyList<string> Credentials);

/// <summary>The integrations a tenant may install.</summary>
/// <param name="Items">The integrations.</param>
public sealed record Integrations(IReadOnlyList<Integration> Items);

/// <summary>A stored Alloy workflow error (from Alloy's error webhook); also the data of the <c>integration.error</c> webhook.</summary>
/// <param name="Id">The hub's id of the error (the paging key).</param>
/// <param name="ExecutionId">Alloy's execution id.</param>
/// <param name="WorkflowId">Alloy's workflow id.</param>
/// <param name="AlloyUserId">The Alloy user the workflow ran for.</param>
/// <param name="BlockName">The failing block's name.</param>
/// <param name="BlockType">The failing block's type.</param>
/// <param name="TenantId">The tenant of that Alloy user; null when no tenant has it.</param>
/// <param name="Environment">The Alloy environment.</param>
/// <param name="ErrorMessage">Alloy's error message.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="Payload">The body Alloy sent, as JSON.</param>
public sealed record IntegrationError(
    long Id,
    string ExecutionId,
    string? WorkflowId,
    string AlloyUserId,
    string? BlockName,
    string? BlockType,
    string? TenantId,
    AlloyEnvironment Environment,
    string? ErrorMessage,
    DateTimeOffset ReceivedAt,
    JsonElement Payload);
