using System.Text.Json;
using IntegrationHub.Client.Models;
using Refit;

namespace IntegrationHub.Client.Internal;

/// <summary>
/// The hub's HTTP API as Refit sees it. Internal: callers use <see cref="IIntegrationHubClient"/>, which turns answers
/// into models or <see cref="IntegrationHubProblemException"/>. A POST that may be retried says so with
/// <see cref="RetryPolicy.RetrySafeProperty"/> (see <see cref="RetryPolicy"/>).
/// </summary>
internal interface IIntegrationHubApi
{
    [Post("/api/tenants")]
    Task<IApiResponse<Tenant>> SignUpAsync(
        [Body] SignUpTenantRequest request, [Property(RetryPolicy.RetrySafeProperty)] bool retrySafe, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}")]
    Task<IApiResponse<Tenant>> GetTenantAsync(string tenantId, CancellationToken cancellationToken);

    [Delete("/api/tenants/{tenantId}")]
    Task<IApiResponse<Tenant>> OffboardAsync(string tenantId, CancellationToken cancellationToken);

    [Post("/api/tenants/{tenantId}/provisioning/retry")]
    Task<IApiResponse<Tenant>> RetryProvisioningAsync(string tenantId, CancellationToken cancellationToken);

    [Post("/api/tenants/{tenantId}/alloy-token")]
    Task<IApiResponse<ModalToken>> IssueModalTokenAsync(string tenantId, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}/integrations")]
    Task<IApiResponse<Integrations>> ListIntegrationsAsync(string tenantId, CancellationToken cancellationToken);

    [Post("/api/tenants/{tenantId}/installations/refresh")]
    Task<IApiResponse<Installations>> RefreshInstallationsAsync(
        string tenantId, [Property(RetryPolicy.RetrySafeProperty)] bool retrySafe, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}/installations")]
    Task<IApiResponse<Installations>> GetInstallationsAsync(string tenantId, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}/integration-errors")]
    Task<IApiResponse<Page<IntegrationError>>> GetIntegrationErrorsAsync(
        string tenantId, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Post("/api/tenants/{tenantId}/events")]
    Task<IApiResponse<AcceptedEvent>> SendEventAsync(
        string tenantId, [Body] SendEventRequest request, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Post("/api/events")]
    Task<IApiResponse<SendEventBatchResult>> SendEventBatchAsync(
        [Body] SendEventBatchRequest request, [Property(RetryPolicy.RetrySafeProperty)] bool retrySafe, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}/events")]
    Task<IApiResponse<Page<EventSummary>>> ListEventsAsync(
        string tenantId, [Query] EventStatus? status, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Get("/api/tenants/{tenantId}/events/{eventId}")]
    Task<IApiResponse<EventDetail>> GetEventAsync(string tenantId, string eventId, CancellationToken cancellationToken);

    [Get("/api/admin/events")]
    Task<IApiResponse<Page<EventSummary>>> QueryEventsAsync(
        [Query] string? tenantId, [Query] EventStatus? status, [Query("event")] string? eventName, [Query] string? cursor, [Query] int? limit,
        CancellationToken cancellationToken);

    [Post("/api/admin/events/{eventId}/replay")]
    Task<IApiResponse<EventSummary>> ReplayEventAsync(string eventId, CancellationToken cancellationToken);

    [Get("/api/admin/tenants")]
    Task<IApiResponse<Page<Tenant>>> ListTenantsAsync(
        [Query] ProvisioningState? state, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Get("/api/admin/installations")]
    Task<IApiResponse<Page<TenantInstallation>>> QueryInstallationsAsync(
        [Query] string? tenantId, [Query] string? integrationId, [Query] bool? enabled, [Query] string? cursor, [Query] int? limit,
        CancellationToken cancellationToken);

    [Get("/api/admin/installations/{installationId}/history")]
    Task<IApiResponse<InstallationHistory>> GetInstallationHistoryAsync(string installationId, CancellationToken cancellationToken);

    [Get("/api/admin/audit")]
    Task<IApiResponse<Page<AuditEntry>>> QueryAuditLogAsync(
        [Query] string? tenantId, [Query] AuditAction? action, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Get("/api/admin/integration-errors")]
    Task<IApiResponse<Page<IntegrationError>>> QueryIntegrationErrorsAsync(
        [Query] string? tenantId, [Query] string? workflowId, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Get("/api/admin/installation-webhooks")]
    Task<IApiResponse<Page<InstallationWebhook>>> QueryInstallationWebhooksAsync(
        [Query] bool? unmatched, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Post("/api/admin/webhook-endpoints")]
    Task<IApiResponse<CreatedWebhookEndpoint>> CreateWebhookEndpointAsync([Body] CreateWebhookEndpointRequest request, CancellationToken cancellationToken);

    [Get("/api/admin/webhook-endpoints")]
    Task<IApiResponse<WebhookEndpoints>> ListWebhookEndpointsAsync(CancellationToken cancellationToken);

    [Get("/api/admin/webhook-endpoints/{endpointId}")]
    Task<IApiResponse<WebhookEndpoint>> GetWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken);

    [Patch("/api/admin/webhook-endpoints/{endpointId}")]
    Task<IApiResponse<WebhookEndpoint>> UpdateWebhookEndpointAsync(
        string endpointId, [Body] UpdateWebhookEndpointRequest request, CancellationToken cancellationToken);

    [Delete("/api/admin/webhook-endpoints/{endpointId}")]
    Task<IApiResponse> DeleteWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken);

    [Post("/api/admin/webhook-endpoints/{endpointId}/rotate-secret")]
    Task<IApiResponse<RotatedWebhookSecret>> RotateWebhookEndpointSecretAsync(string endpointId, CancellationToken cancellationToken);

    [Get("/api/admin/webhook-endpoints/{endpointId}/deliveries")]
    Task<IApiResponse<Page<WebhookDelivery>>> ListWebhookDeliveriesAsync(
        string endpointId, [Query] WebhookDeliveryState? status, [Query] string? cursor, [Query] int? limit, CancellationToken cancellationToken);

    [Post("/api/admin/webhook-endpoints/{endpointId}/replay")]
    Task<IApiResponse<WebhookReplay>> ReplayWebhookEndpointAsync(string endpointId, [Query] string? since, CancellationToken cancellationToken);

    [Post("/api/admin/webhook-messages/{messageId}/replay")]
    Task<IApiResponse<WebhookReplay>> ReplayWebhookMessageAsync(string messageId, CancellationToken cancellationToken);
}
