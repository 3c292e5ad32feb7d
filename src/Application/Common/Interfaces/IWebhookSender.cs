namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>Sends one signed webhook over HTTP (Standard Webhooks), with no redirects and the address rules applied.</summary>
public interface IWebhookSender
{
    /// <summary>Never throws for the endpoint's failures (refused, timed out, any status): they are in the answer.</summary>
    Task<WebhookSendResult> SendAsync(OutgoingWebhook webhook, CancellationToken cancellationToken);
}

/// <param name="Secrets">Every secret that signs it (the current one, and the previous one during a rotation).</param>
public sealed record OutgoingWebhook(string Url, string MessageId, DateTimeOffset Timestamp, string Body, IReadOnlyList<string> Secrets);

/// <param name="StatusCode">The HTTP status, or null when no answer came.</param>
/// <param name="ResponseSnippet">The start of the response body (at most 1 KB).</param>
/// <param name="RetryAfter">The endpoint's <c>Retry-After</c>, when it sent one.</param>
/// <param name="Error">Why it failed without an answer (refused address, timeout, connection error).</param>
public sealed record WebhookSendResult(int? StatusCode, long DurationMs, string? ResponseSnippet, TimeSpan? RetryAfter, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>Whether a URL may be a webhook endpoint (scheme, and an IP literal's address); names are checked again when resolved.</summary>
public interface IWebhookUrlPolicy
{
    /// <returns>Why the URL is refused, or null when it is allowed.</returns>
    string? Check(string? url);
}
