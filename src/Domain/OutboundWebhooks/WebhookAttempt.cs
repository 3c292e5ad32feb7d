namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>One HTTP attempt of a delivery, append-only. Never holds a secret or a request header.</summary>
public sealed class WebhookAttempt
{
    public const int MaxSnippetLength = 1024;
    public const int MaxErrorLength = 1000;

    /// <summary>For EF Core.</summary>
    private WebhookAttempt()
    {
    }

    private WebhookAttempt(long deliveryId, DateTimeOffset at, int? statusCode, long durationMs, string? responseSnippet, string? error)
    {
        DeliveryId = deliveryId;
        At = at;
        StatusCode = statusCode;
        DurationMs = durationMs;
        ResponseSnippet = responseSnippet;
        Error = error;
    }

    public long Id { get; private set; }

    public long DeliveryId { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The HTTP status the endpoint answered; null when no answer came (refused, timed out).</summary>
    public int? StatusCode { get; private set; }

    public long DurationMs { get; private set; }

    /// <summary>The start of the response body, at most <see cref="MaxSnippetLength"/> characters.</summary>
    public string? ResponseSnippet { get; private set; }

    public string? Error { get; private set; }

    public static WebhookAttempt Record(long deliveryId, DateTimeOffset at, int? statusCode, long durationMs, string? responseSnippet, string? error) =>
        new(deliveryId, at, statusCode, Math.Max(0, durationMs), Cut(responseSnippet, MaxSnippetLength), Cut(error, MaxErrorLength));

    private static string? Cut(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
