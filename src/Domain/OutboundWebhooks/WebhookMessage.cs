namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>
/// One event for the SaaS backend, written in the same transaction as the change it reports (the outbox). The body
/// is the exact JSON every endpoint receives and every signature covers: <c>{type, timestamp, data}</c>.
/// </summary>
public sealed class WebhookMessage
{
    public const string IdPrefix = "msg_";
    public const int MaxMessageIdLength = 32;
    public const int MaxTypeLength = 64;

    /// <summary>For EF Core.</summary>
    private WebhookMessage()
    {
        MessageId = null!;
        Type = null!;
        Body = null!;
    }

    private WebhookMessage(string type, string body, DateTimeOffset now)
    {
        MessageId = WebhookIds.New(IdPrefix);
        Type = type;
        Body = body;
        CreatedAt = now;
    }

    public long Id { get; private set; }

    /// <summary>The public id, sent as <c>webhook-id</c>: the same on every retry and replay, so receivers can deduplicate.</summary>
    public string MessageId { get; private set; }

    public string Type { get; private set; }

    public string Body { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static WebhookMessage Create(string type, string body, DateTimeOffset now)
    {
        if (!WebhookEventTypes.IsKnown(type))
        {
            throw new Common.DomainException($"'{type}' is not a webhook event type.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        return new WebhookMessage(type, body, now);
    }
}
