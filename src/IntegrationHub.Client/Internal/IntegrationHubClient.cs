using System.Globalization;
using System.Net;
using System.Text.Json;
using IntegrationHub.Client.Models;
using Refit;

namespace IntegrationHub.Client.Internal;

/// <summary>Turns the Refit answers into models, or into <see cref="IntegrationHubProblemException"/>.</summary>
internal sealed class IntegrationHubClient(IIntegrationHubApi api, TimeProvider time) : IIntegrationHubClient
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    public async Task<SignUpResult> SignUpAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        using var response = await api.SignUpAsync(new SignUpTenantRequest(tenantId, name), retrySafe: true, cancellationToken);
        var tenant = Content(response);
        return new SignUpResult(tenant, response.StatusCode is HttpStatusCode.Accepted);
    }

    public Task<Tenant> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetTenantAsync(tenantId, cancellationToken));

    public async Task<Tenant> WaitUntilProvisionedAsync(string tenantId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval is { } given && given > TimeSpan.Zero ? given : DefaultPollInterval;
        while (true)
        {
            var tenant = await GetTenantAsync(tenantId, cancellationToken);
            if (tenant.DeletedAt is not null || tenant.Alloy?.State is ProvisioningState.Provisioned or ProvisioningState.Failed
                or ProvisioningState.Deprovisioning or ProvisioningState.Deprovisioned)
            {
                return tenant;
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }

    public Task<Tenant> OffboardAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.OffboardAsync(tenantId, cancellationToken));

    public Task<Tenant> RetryProvisioningAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.RetryProvisioningAsync(tenantId, cancellationToken));

    public Task<ModalToken> IssueModalTokenAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.IssueModalTokenAsync(tenantId, cancellationToken));

    public Task<Integrations> ListIntegrationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ListIntegrationsAsync(tenantId, cancellationToken));

    public Task<Installations> GetInstallationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetInstallationsAsync(tenantId, cancellationToken));

    public Task<Installations> RefreshInstallationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.RefreshInstallationsAsync(tenantId, retrySafe: true, cancellationToken));

    public Task<Page<IntegrationError>> GetIntegrationErrorsAsync(string tenantId, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetIntegrationErrorsAsync(tenantId, cursor, limit, cancellationToken));

    public async Task<SendEventResult> SendEventAsync(
        string tenantId, string eventName, JsonElement data, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await api.SendEventAsync(
            tenantId, new SendEventRequest(eventName, data), string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, cancellationToken);
        var accepted = Content(response);
        return new SendEventResult(accepted, response.StatusCode is HttpStatusCode.Accepted);
    }

    public Task<SendEventBatchResult> SendEventsAsync(IReadOnlyList<BatchEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var retrySafe = events.Count > 0 && events.All(e => !string.IsNullOrWhiteSpace(e.IdempotencyKey));
        return ReadAsync(api.SendEventBatchAsync(new SendEventBatchRequest(events), retrySafe, cancellationToken));
    }

    public Task<Page<EventSummary>> ListEventsAsync(
        string tenantId, EventStatus? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ListEventsAsync(tenantId, status, cursor, limit, cancellationToken));

    public Task<EventDetail> GetEventAsync(string tenantId, string eventId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetEventAsync(tenantId, eventId, cancellationToken));

    public Task<Page<EventSummary>> QueryEventsAsync(EventQuery? query = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.QueryEventsAsync(query?.TenantId, query?.Status, query?.Event, cursor, limit, cancellationToken));

    public Task<EventSummary> ReplayEventAsync(string eventId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ReplayEventAsync(eventId, cancellationToken));

    public Task<Page<Tenant>> ListTenantsAsync(ProvisioningState? state = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ListTenantsAsync(state, cursor, limit, cancellationToken));

    public Task<Page<TenantInstallation>> QueryInstallationsAsync(
        InstallationQuery? query = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.QueryInstallationsAsync(query?.TenantId, query?.IntegrationId, query?.Enabled, cursor, limit, cancellationToken));

    public Task<InstallationHistory> GetInstallationHistoryAsync(string installationId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetInstallationHistoryAsync(installationId, cancellationToken));

    public Task<Page<AuditEntry>> QueryAuditLogAsync(
        string? tenantId = null, AuditAction? action = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.QueryAuditLogAsync(tenantId, action, cursor, limit, cancellationToken));

    public Task<Page<IntegrationError>> QueryIntegrationErrorsAsync(
        string? tenantId = null, string? workflowId = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.QueryIntegrationErrorsAsync(tenantId, workflowId, cursor, limit, cancellationToken));

    public Task<Page<InstallationWebhook>> QueryInstallationWebhooksAsync(
        bool? unmatched = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.QueryInstallationWebhooksAsync(unmatched, cursor, limit, cancellationToken));

    public Task<CreatedWebhookEndpoint> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, CancellationToken cancellationToken = default) =>
        ReadAsync(api.CreateWebhookEndpointAsync(request, cancellationToken));

    public Task<WebhookEndpoints> ListWebhookEndpointsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(api.ListWebhookEndpointsAsync(cancellationToken));

    public Task<WebhookEndpoint> GetWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.GetWebhookEndpointAsync(endpointId, cancellationToken));

    public Task<WebhookEndpoint> UpdateWebhookEndpointAsync(string endpointId, UpdateWebhookEndpointRequest request, CancellationToken cancellationToken = default) =>
        ReadAsync(api.UpdateWebhookEndpointAsync(endpointId, request, cancellationToken));

    public async Task DeleteWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        using var response = await api.DeleteWebhookEndpointAsync(endpointId, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response);
        }
    }

    public Task<RotatedWebhookSecret> RotateWebhookEndpointSecretAsync(string endpointId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.RotateWebhookEndpointSecretAsync(endpointId, cancellationToken));

    public Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(
        string endpointId, WebhookDeliveryState? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ListWebhookDeliveriesAsync(endpointId, status, cursor, limit, cancellationToken));

    public Task<WebhookReplay> ReplayWebhookMessageAsync(string messageId, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ReplayWebhookMessageAsync(messageId, cancellationToken));

    public Task<WebhookReplay> ReplayWebhookEndpointAsync(string endpointId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        ReadAsync(api.ReplayWebhookEndpointAsync(
            endpointId, since.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), cancellationToken));

    private async Task<T> ReadAsync<T>(Task<IApiResponse<T>> call)
    {
        using var response = await call;
        return Content(response);
    }

    private T Content<T>(IApiResponse<T> response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response);
        }

        if (response.Error is { } error)
        {
            // A success whose body does not read as the model: a contract mismatch between client and hub.
            throw error;
        }

        return response.Content
            ?? throw new InvalidOperationException($"IntegrationHub answered {(int?)response.StatusCode} without a body where one was expected.");
    }

    /// <summary>
    /// The hub's answer as an <see cref="IntegrationHubProblemException"/>; when no answer was received (the transport
    /// failed), Refit's exception, whose cause is the transport's.
    /// </summary>
    private Exception Failure(IApiResponse response)
    {
        if (response.StatusCode is not { } status)
        {
            Exception? cause = response.Error?.InnerException ?? response.Error;
            return cause ?? new HttpRequestException("IntegrationHub could not be reached.");
        }

        return new IntegrationHubProblemException(status, ParseProblem((response.Error as ApiException)?.Content), RetryAfterOf(response.Headers));
    }

    private static ProblemDetailsBody? ParseProblem(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, IntegrationHubJsonContext.Default.ProblemDetailsBody);
        }
        catch (JsonException)
        {
            return null; // not a problem document (a proxy's HTML page, say): the status speaks alone
        }
    }

    private TimeSpan? RetryAfterOf(System.Net.Http.Headers.HttpResponseHeaders? headers)
    {
        if (headers?.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
