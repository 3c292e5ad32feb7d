using IntegrationHub.Domain.Common;

namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>
/// One message to one endpoint. The row, not a background job, is the record of intent: a Pending delivery whose
/// <see cref="NextAttemptAt"/> has passed is due, and the reconciler re-enqueues it if its job was lost.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxErrorLength = 1000;

    /// <summary>For EF Core.</summary>
    private WebhookDelivery()
    {
        EndpointId = null!;
        Message = null!;
    }

    private WebhookDelivery(WebhookMessage message, string endpointId, DateTimeOffset now)
    {
        Message = message;
        EndpointId = endpointId;
        State = WebhookDeliveryState.Pending;
        NextAttemptAt = now;
        CreatedAt = now;
        ConcurrencyStamp = Guid.NewGuid();
    }

    public long Id { get; private set; }

    public long MessageId { get; private set; }

    public WebhookMessage Message { get; private set; }

    public string EndpointId { get; private set; }

    public WebhookDeliveryState State { get; private set; }

    /// <summary>Attempts since it was created or last replayed (the retry schedule counts these).</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public int? LastStatusCode { get; private set; }

    public long? LastDurationMs { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public Guid ConcurrencyStamp { get; private set; }

    public static WebhookDelivery Create(WebhookMessage message, WebhookEndpoint endpoint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(endpoint);
        return new WebhookDelivery(message, endpoint.Id, now);
    }

    public bool IsDue(DateTimeOffset now) => State == WebhookDeliveryState.Pending && NextAttemptAt <= now;

    /// <summary>Takes a lease for one attempt: a crashed attempt is retried by the reconciler once the lease ends.</summary>
    public void BeginAttempt(DateTimeOffset now, TimeSpan lease)
    {
        if (State != WebhookDeliveryState.Pending)
        {
            throw new DomainException($"Cannot attempt a delivery that is {State}.");
        }

        Attempts++;
        LastAttemptAt = now;
        NextAttemptAt = now + lease;
        Touch();
    }

    public void MarkDelivered(int statusCode, long durationMs)
    {
        EnsurePending();
        State = WebhookDeliveryState.Delivered;
        LastStatusCode = statusCode;
        LastDurationMs = durationMs;
        LastError = null;
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>A failed attempt: retried at <paramref name="retryAt"/>, or <see cref="WebhookDeliveryState.Failed"/> when null.</summary>
    public void RecordFailure(int? statusCode, long durationMs, string error, DateTimeOffset? retryAt)
    {
        EnsurePending();
        LastStatusCode = statusCode;
        LastDurationMs = durationMs;
        LastError = Truncate(error);
        NextAttemptAt = retryAt;
        State = retryAt is null ? WebhookDeliveryState.Failed : WebhookDeliveryState.Pending;
        Touch();
    }

    public void Cancel(string reason)
    {
        if (State != WebhookDeliveryState.Pending)
        {
            return;
        }

        State = WebhookDeliveryState.Cancelled;
        LastError = Truncate(reason);
        NextAttemptAt = null;
        Touch();
    }

    /// <summary>Delivers again from the start of the retry schedule, whatever happened before.</summary>
    public void Replay(DateTimeOffset now)
    {
        State = WebhookDeliveryState.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LastError = null;
        Touch();
    }

    private void EnsurePending()
    {
        if (State != WebhookDeliveryState.Pending)
        {
            throw new DomainException($"The delivery is {State}, not being attempted.");
        }
    }

    private void Touch() => ConcurrencyStamp = Guid.NewGuid();

    private static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
}
