using System.Text.Json;
using IntegrationHub.Client.Models;

namespace IntegrationHub.Client.Webhooks;

/// <summary>The JSON envelope of every webhook the hub sends.</summary>
/// <param name="Type">The event type (<see cref="WebhookEventTypes"/>).</param>
/// <param name="Timestamp">When the hub recorded the event.</param>
/// <param name="Data">The event's data; its shape depends on <paramref name="Type"/>.</param>
public sealed record WebhookEnvelope(string Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>
/// Data of <c>tenant.*</c> webhooks: the tenant as <see cref="IIntegrationHubClient.GetTenantAsync"/> shows it, plus a
/// <paramref name="Version"/> that grows with every change (ignore a webhook older than one already applied).
/// </summary>
/// <param name="TenantId">The tenant's id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="CreatedAt">When it signed up.</param>
/// <param name="DeletedAt">When it was offboarded.</param>
/// <param name="Alloy">Its Alloy account.</param>
/// <param name="Version">The change's version (microseconds since the Unix epoch).</param>
public sealed record TenantWebhookData(string TenantId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt, AlloyAccount? Alloy, long Version)
{
    /// <summary>The tenant without the version.</summary>
    public Tenant ToTenant() => new(TenantId, Name, CreatedAt, DeletedAt, Alloy);
}

/// <summary>Data of <c>installation.*</c> webhooks: the installation as the admin listing shows it, plus its version.</summary>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="InstallationId">Alloy's installation id.</param>
/// <param name="IntegrationId">The installed integration.</param>
/// <param name="IntegrationName">The integration's name.</param>
/// <param name="Enabled">Whether it is enabled.</param>
/// <param name="InstalledAt">When Alloy says it was installed.</param>
/// <param name="FirstSeenAt">When the hub first saw it.</param>
/// <param name="LastSyncedAt">When the hub last confirmed it.</param>
/// <param name="RemovedAt">When it was removed.</param>
/// <param name="Version">The change's version (microseconds since the Unix epoch).</param>
public sealed record InstallationWebhookData(
    string TenantId,
    string InstallationId,
    string IntegrationId,
    string IntegrationName,
    bool Enabled,
    DateTimeOffset? InstalledAt,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSyncedAt,
    DateTimeOffset? RemovedAt,
    long Version);

/// <summary>Data of <c>integration.error</c>: the stored Alloy workflow error, plus its version.</summary>
/// <param name="Id">The hub's id of the error.</param>
/// <param name="ExecutionId">Alloy's execution id.</param>
/// <param name="WorkflowId">Alloy's workflow id.</param>
/// <param name="AlloyUserId">The Alloy user.</param>
/// <param name="BlockName">The failing block's name.</param>
/// <param name="BlockType">The failing block's type.</param>
/// <param name="TenantId">The tenant, if any.</param>
/// <param name="Environment">The Alloy environment.</param>
/// <param name="ErrorMessage">Alloy's error message.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="Payload">The body Alloy sent.</param>
/// <param name="Version">The version (microseconds since the Unix epoch).</param>
public sealed record IntegrationErrorWebhookData(
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
    JsonElement Payload,
    long Version);

/// <summary>Data of <c>event.failed</c>: a SaaS event every delivery attempt of which failed.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="LastError">The last attempt's error.</param>
/// <param name="FailedAt">When it was given up.</param>
/// <param name="Version">The version (microseconds since the Unix epoch), when the hub sends one.</param>
public sealed record EventFailedWebhookData(string EventId, string TenantId, string Event, int Attempts, string? LastError, DateTimeOffset FailedAt, long? Version);

/// <summary>A verified webhook from the hub.</summary>
/// <param name="Id">The message id (<c>webhook-id</c>): the same on every retry and replay; deduplicate on it.</param>
/// <param name="SentAt">The signed <c>webhook-timestamp</c>.</param>
/// <param name="Envelope">The parsed body.</param>
public sealed record IntegrationHubWebhook(string Id, DateTimeOffset SentAt, WebhookEnvelope Envelope)
{
    /// <summary>The event type.</summary>
    public string Type => Envelope.Type;

    /// <summary>The data of a <c>tenant.*</c> webhook; null for other types.</summary>
    public TenantWebhookData? AsTenant() => Type.StartsWith("tenant.", StringComparison.Ordinal)
        ? Envelope.Data.Deserialize(Internal.IntegrationHubJsonContext.Default.TenantWebhookData) : null;

    /// <summary>The data of an <c>installation.*</c> webhook; null for other types.</summary>
    public InstallationWebhookData? AsInstallation() => Type.StartsWith("installation.", StringComparison.Ordinal)
        ? Envelope.Data.Deserialize(Internal.IntegrationHubJsonContext.Default.InstallationWebhookData) : null;

    /// <summary>The data of an <c>integration.error</c> webhook; null for other types.</summary>
    public IntegrationErrorWebhookData? AsIntegrationError() => Type == WebhookEventTypes.IntegrationError
        ? Envelope.Data.Deserialize(Internal.IntegrationHubJsonContext.Default.IntegrationErrorWebhookData) : null;

    /// <summary>The data of an <c>event.failed</c> webhook; null for other types.</summary>
    public EventFailedWebhookData? AsEventFailed() => Type == WebhookEventTypes.EventFailed
        ? Envelope.Data.Deserialize(Internal.IntegrationHubJsonContext.Default.EventFailedWebhookData) : null;
}
