using System.Text.Json;
using IntegrationHub.Client.Models;

namespace IntegrationHub.Client;

/// <summary>
/// The IntegrationHub API for a SaaS backend: tenants, their installations, integrations and events with a service
/// key; cross-tenant queries and webhook endpoint management with an admin key. Register it with
/// <see cref="IntegrationHubServiceCollectionExtensions.AddIntegrationHubClient"/>.
/// </summary>
/// <remarks>
/// Every method throws <see cref="IntegrationHubProblemException"/> when the hub answers with a problem (4xx/5xx), after
/// the retries the resilience handler allows; <see cref="HttpRequestException"/> or a timeout when it cannot be reached;
/// <see cref="OperationCanceledException"/> when <c>cancellationToken</c> is cancelled.
/// </remarks>
public interface IIntegrationHubClient
{
    /// <summary>Signs a tenant up (<c>POST /api/tenants</c>); its Alloy user is provisioned in the background.</summary>
    /// <param name="tenantId">The SaaS's id of the tenant.</param>
    /// <param name="name">Its display name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenant, and whether this call created it (202) or it existed with the same name (200). Safe to retry.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>tenant-conflict</c> (409) when the id is taken with another name; <c>validation</c> (400).</exception>
    Task<SignUpResult> SignUpAsync(string tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>The tenant with its Alloy account (<c>GET /api/tenants/{tenantId}</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenant.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>tenant-not-found</c> (404).</exception>
    Task<Tenant> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls <see cref="GetTenantAsync"/> until the tenant's provisioning ends: <see cref="ProvisioningState.Provisioned"/>
    /// or <see cref="ProvisioningState.Failed"/> (or it is offboarded); cancel the token to stop waiting.
    /// </summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="pollInterval">The wait between polls; default one second.</param>
    /// <param name="cancellationToken">Cancels the wait (use a timeout token).</param>
    /// <returns>The tenant in its final provisioning state.</returns>
    Task<Tenant> WaitUntilProvisionedAsync(string tenantId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default);

    /// <summary>Offboards a tenant (<c>DELETE /api/tenants/{tenantId}</c>, 202): its Alloy user and logs are deleted in the background.</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenant as offboarding starts.</returns>
    Task<Tenant> OffboardAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Retries a tenant whose provisioning failed (<c>POST /api/tenants/{tenantId}/provisioning/retry</c>, 202). Not retried automatically.</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenant with provisioning started again.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>provisioning-not-failed</c> (409) when its provisioning did not fail.</exception>
    Task<Tenant> RetryProvisioningAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>A short-lived Alloy modal token for the tenant's frontend (<c>POST /api/tenants/{tenantId}/alloy-token</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token (a secret).</returns>
    /// <exception cref="IntegrationHubProblemException"><c>provisioning-pending</c> (503, with <see cref="IntegrationHubProblemException.RetryAfter"/>).</exception>
    Task<ModalToken> IssueModalTokenAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The integrations the tenant may install (<c>GET /api/tenants/{tenantId}/integrations</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integrations, with whether the tenant installed each.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>provisioning-pending</c> (503) while the Alloy user is being created.</exception>
    Task<Integrations> ListIntegrationsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's installation records (<c>GET /api/tenants/{tenantId}/installations</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The installations.</returns>
    Task<Installations> GetInstallationsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Pulls the tenant's installations from Alloy now (<c>POST /api/tenants/{tenantId}/installations/refresh</c>); call after the modal reports success.</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The installations after the refresh.</returns>
    Task<Installations> RefreshInstallationsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Alloy workflow errors of the tenant's integrations, newest first (<c>GET /api/tenants/{tenantId}/integration-errors</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
    /// <param name="limit">The page size (the hub's default when null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<IntegrationError>> GetIntegrationErrorsAsync(string tenantId, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a SaaS event for the tenant to Alloy (<c>POST /api/tenants/{tenantId}/events</c>); the hub delivers it in the
    /// background (holding it while the tenant is being provisioned). With an <paramref name="idempotencyKey"/>, the
    /// call is retried on transient failures and a repeat of the same key and body answers the first event (200).
    /// </summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="eventName">The Alloy custom event's name.</param>
    /// <param name="data">The event's data: a JSON object.</param>
    /// <param name="idempotencyKey">Optional <c>Idempotency-Key</c>; recommended.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted event and whether this call created it.</returns>
    /// <exception cref="IntegrationHubProblemException">
    /// <c>unknown-event</c> (422, <see cref="IntegrationHubProblemException.KnownEvents"/>), <c>idempotency-conflict</c> (422), <c>tenant-offboarded</c> (409).
    /// </exception>
    Task<SendEventResult> SendEventAsync(string tenantId, string eventName, JsonElement data, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends up to 500 events for any tenants (<c>POST /api/events</c>, 207): each gets its own result. Retried on
    /// transient failures only when every event carries an idempotency key.
    /// </summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per event.</returns>
    Task<SendEventBatchResult> SendEventsAsync(IReadOnlyList<BatchEvent> events, CancellationToken cancellationToken = default);

    /// <summary>The tenant's events, newest first (<c>GET /api/tenants/{tenantId}/events</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="status">Only events in this state.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<EventSummary>> ListEventsAsync(string tenantId, EventStatus? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>One event with its data and delivery attempts (<c>GET /api/tenants/{tenantId}/events/{eventId}</c>).</summary>
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event.</returns>
    Task<EventDetail> GetEventAsync(string tenantId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Admin: events across tenants (<c>GET /api/admin/events</c>).</summary>
    /// <param name="query">Filters; null for none.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<EventSummary>> QueryEventsAsync(EventQuery? query = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: delivers an event to Alloy again (<c>POST /api/admin/events/{eventId}/replay</c>, 202). Not retried automatically.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event as its delivery starts again.</returns>
    Task<EventSummary> ReplayEventAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Admin: tenants with their provisioning state (<c>GET /api/admin/tenants</c>).</summary>
    /// <param name="state">Only tenants in this state.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<Tenant>> ListTenantsAsync(ProvisioningState? state = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: installations across tenants (<c>GET /api/admin/installations</c>).</summary>
    /// <param name="query">Filters; null for none.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<TenantInstallation>> QueryInstallationsAsync(InstallationQuery? query = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: an installation's history (<c>GET /api/admin/installations/{installationId}/history</c>).</summary>
    /// <param name="installationId">The installation's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its changes.</returns>
    Task<InstallationHistory> GetInstallationHistoryAsync(string installationId, CancellationToken cancellationToken = default);

    /// <summary>Admin: the audit log, newest first (<c>GET /api/admin/audit</c>).</summary>
    /// <param name="tenantId">Only this tenant's entries.</param>
    /// <param name="action">Only entries of this action.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<AuditEntry>> QueryAuditLogAsync(string? tenantId = null, AuditAction? action = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: Alloy workflow errors across tenants, newest first (<c>GET /api/admin/integration-errors</c>).</summary>
    /// <param name="tenantId">Only this tenant's errors.</param>
    /// <param name="workflowId">Only this workflow's errors.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<IntegrationError>> QueryIntegrationErrorsAsync(string? tenantId = null, string? workflowId = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: received Alloy installation webhooks, newest first (<c>GET /api/admin/installation-webhooks</c>).</summary>
    /// <param name="unmatched">True: only those for Alloy users no tenant has.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<InstallationWebhook>> QueryInstallationWebhooksAsync(bool? unmatched = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: registers an endpoint for the hub's webhooks (<c>POST /api/admin/webhook-endpoints</c>, 201). Not retried automatically.</summary>
    /// <param name="request">Its URL, description and event types.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint with its signing secret (shown only here and on rotation).</returns>
    Task<CreatedWebhookEndpoint> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, CancellationToken cancellationToken = default);

    /// <summary>Admin: every webhook endpoint (<c>GET /api/admin/webhook-endpoints</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoints.</returns>
    Task<WebhookEndpoints> ListWebhookEndpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>Admin: one webhook endpoint (<c>GET /api/admin/webhook-endpoints/{endpointId}</c>).</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>webhook-endpoint-not-found</c> (404).</exception>
    Task<WebhookEndpoint> GetWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Admin: changes what is given of an endpoint (<c>PATCH /api/admin/webhook-endpoints/{endpointId}</c>). Not retried automatically.</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint after the change.</returns>
    Task<WebhookEndpoint> UpdateWebhookEndpointAsync(string endpointId, UpdateWebhookEndpointRequest request, CancellationToken cancellationToken = default);

    /// <summary>Admin: deletes an endpoint and its deliveries (<c>DELETE /api/admin/webhook-endpoints/{endpointId}</c>, 204).</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the endpoint is deleted.</returns>
    Task DeleteWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Admin: a new signing secret (<c>POST /api/admin/webhook-endpoints/{endpointId}/rotate-secret</c>); the previous one keeps signing for a while. Not retried automatically.</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new secret and until when the old one signs too.</returns>
    Task<RotatedWebhookSecret> RotateWebhookEndpointSecretAsync(string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Admin: an endpoint's deliveries, newest first (<c>GET /api/admin/webhook-endpoints/{endpointId}/deliveries</c>).</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="status">Only deliveries in this state.</param>
    /// <param name="cursor">The previous page's cursor; null for the first page.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page.</returns>
    Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(string endpointId, WebhookDeliveryState? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Admin: delivers a message again to every enabled endpoint subscribed to its type (<c>POST /api/admin/webhook-messages/{messageId}/replay</c>, 202).</summary>
    /// <param name="messageId">The message id (<c>msg_…</c>, the <c>webhook-id</c> header).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries started.</returns>
    Task<WebhookReplay> ReplayWebhookMessageAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Admin: delivers to the endpoint again every message of its types since a time (<c>POST /api/admin/webhook-endpoints/{endpointId}/replay</c>, 202).</summary>
    /// <param name="endpointId">The endpoint's id.</param>
    /// <param name="since">The earliest message time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries started.</returns>
    /// <exception cref="IntegrationHubProblemException"><c>webhook-endpoint-disabled</c> (409).</exception>
    Task<WebhookReplay> ReplayWebhookEndpointAsync(string endpointId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
