using System.Text.Json;

namespace IntegrationHub.Client.Models;

/// <summary>Filters of the admin installations query (<c>GET /api/admin/installations</c>); every filter is optional.</summary>
/// <param name="TenantId">Only this tenant's installations.</param>
/// <param name="IntegrationId">Only installations of this integration.</param>
/// <param name="Enabled">Only enabled (true) or disabled (false) installations.</param>
public sealed record InstallationQuery(string? TenantId = null, string? IntegrationId = null, bool? Enabled = null);

/// <summary>What the audit log records.</summary>
public enum AuditAction
{
    /// <summary>A tenant signed up.</summary>
    TenantSignedUp,

    /// <summary>A tenant's Alloy user was provisioned.</summary>
    TenantProvisioned,

    /// <summary>Provisioning was retried.</summary>
    ProvisioningRetried,

    /// <summary>A modal token was issued.</summary>
    TokenIssued,

    /// <summary>Installations were refreshed.</summary>
    InstallationsRefreshed,

    /// <summary>An admin query ran.</summary>
    AdminQuery,

    /// <summary>A tenant was offboarded.</summary>
    TenantOffboarded,

    /// <summary>A tenant's Alloy user was deleted.</summary>
    TenantDeprovisioned,

    /// <summary>A tenant's Alloy user was missing at Alloy.</summary>
    AlloyUserMissing,

    /// <summary>A webhook endpoint was created.</summary>
    WebhookEndpointCreated,

    /// <summary>A webhook endpoint was changed.</summary>
    WebhookEndpointChanged,

    /// <summary>A webhook endpoint was deleted.</summary>
    WebhookEndpointDeleted,

    /// <summary>A webhook endpoint's secret was rotated.</summary>
    WebhookSecretRotated,

    /// <summary>Webhooks were replayed.</summary>
    WebhookReplayed,
}

/// <summary>Who performed an audited action.</summary>
public enum AuditActorKind
{
    /// <summary>A service key (the SaaS backend).</summary>
    Service,

    /// <summary>An admin (key or dashboard session).</summary>
    Admin,

    /// <summary>A member of the tenant (JWT).</summary>
    TenantMember,

    /// <summary>The hub itself (jobs).</summary>
    System,
}

/// <summary>An entry of the audit log.</summary>
/// <param name="Id">The entry's id (the paging key).</param>
/// <param name="At">When it happened.</param>
/// <param name="Action">What happened.</param>
/// <param name="TenantId">The tenant concerned, if any.</param>
/// <param name="Actor">Who did it (key name, subject or <c>system</c>).</param>
/// <param name="ActorKind">What kind of caller did it.</param>
/// <param name="Detail">Details (JSON text), if any.</param>
/// <param name="TraceId">The trace of the request or job.</param>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    AuditAction Action,
    string? TenantId,
    string Actor,
    AuditActorKind ActorKind,
    string? Detail,
    string? TraceId);

/// <summary>Where a received Alloy installation webhook stands.</summary>
public enum InstallationWebhookStatus
{
    /// <summary>Not resolved yet.</summary>
    Pending,

    /// <summary>Matched to an installation.</summary>
    Resolved,

    /// <summary>For an Alloy user no tenant has.</summary>
    Unmatched,

    /// <summary>Alloy reported an unsuccessful installation.</summary>
    Unsuccessful,

    /// <summary>Alloy did not list the installation.</summary>
    NotListed,
}

/// <summary>A received Alloy installation webhook (admin listing).</summary>
/// <param name="Id">The hub's id (the paging key).</param>
/// <param name="Environment">The Alloy environment.</param>
/// <param name="AlloyUserId">The Alloy user.</param>
/// <param name="IntegrationId">The integration.</param>
/// <param name="Success">Whether Alloy reported success.</param>
/// <param name="TenantId">The tenant of the Alloy user, if any.</param>
/// <param name="Status">Where its resolution stands.</param>
/// <param name="Attempts">Resolution attempts made.</param>
/// <param name="InstallationId">The resolved installation, if any.</param>
/// <param name="LastError">The last resolution error.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="CompletedAt">When resolution completed.</param>
/// <param name="Payload">The body Alloy sent, as JSON.</param>
public sealed record InstallationWebhook(
    long Id,
    AlloyEnvironment Environment,
    string AlloyUserId,
    string IntegrationId,
    bool Success,
    string? TenantId,
    InstallationWebhookStatus Status,
    int Attempts,
    string? InstallationId,
    string? LastError,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? CompletedAt,
    JsonElement Payload);

/// <summary>What changed in an installation.</summary>
public enum InstallationChangeKind
{
    /// <summary>It was installed.</summary>
    Installed,

    /// <summary>It was enabled.</summary>
    Enabled,

    /// <summary>It was disabled.</summary>
    Disabled,

    /// <summary>It was removed.</summary>
    Removed,
}

/// <summary>How the hub learned of an installation change.</summary>
public enum InstallationChangeSource
{
    /// <summary>A refresh after the frontend's modal.</summary>
    FrontendRefresh,

    /// <summary>The periodic sync with Alloy.</summary>
    Sync,

    /// <summary>An admin action.</summary>
    Admin,

    /// <summary>Alloy's installation webhook.</summary>
    Webhook,
}

/// <summary>One change in an installation's history.</summary>
/// <param name="Change">What changed.</param>
/// <param name="At">When.</param>
/// <param name="Source">How the hub learned of it.</param>
public sealed record InstallationChange(InstallationChangeKind Change, DateTimeOffset At, InstallationChangeSource Source);

/// <summary>An installation's history.</summary>
/// <param name="InstallationId">The installation.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="IntegrationId">Its integration.</param>
/// <param name="Items">The changes, oldest first.</param>
public sealed record InstallationHistory(string InstallationId, string TenantId, string IntegrationId, IReadOnlyList<InstallationChange> Items);
