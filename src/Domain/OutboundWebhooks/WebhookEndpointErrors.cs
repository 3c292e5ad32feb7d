using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.OutboundWebhooks;

public static class WebhookEndpointErrors
{
    public static Error NotFound(string id) =>
        new("webhook-endpoint-not-found", $"Webhook endpoint '{id}' does not exist.", ErrorType.NotFound);

    public static Error MessageNotFound(string messageId) =>
        new("webhook-message-not-found", $"Webhook message '{messageId}' does not exist.", ErrorType.NotFound);
}
