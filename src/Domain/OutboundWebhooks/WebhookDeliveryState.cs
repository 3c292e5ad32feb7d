namespace IntegrationHub.Domain.OutboundWebhooks;

public enum WebhookDeliveryState
{
    /// <summary>To be sent at <see cref="WebhookDelivery.NextAttemptAt"/> (or being sent, under a lease).</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt of the retry schedule failed.</summary>
    Failed,

    /// <summary>The endpoint was disabled or deleted before it could be delivered.</summary>
    Cancelled,
}
