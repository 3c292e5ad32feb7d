using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace IntegrationHub.Infrastructure.OutboundWebhooks;

/// <summary>
/// POSTs a webhook, signed per Standard Webhooks by the <c>StandardWebhooks</c> package (one <c>v1,</c> signature per
/// secret, space-separated). The named client refuses internal addresses when it connects and follows no redirect.
/// </summary>
internal sealed class WebhookSender(
    IHttpClientFactory clients,
    IWebhookUrlPolicy urls,
    IOptionsMonitor<WebhooksOptions> options) : IWebhookSender
{
    public const string ClientName = "outbound-webhooks";

    public async Task<WebhookSendResult> SendAsync(OutgoingWebhook webhook, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // The URL was checked when it was registered; the rules (or the environment) may have changed since.
        if (urls.Check(webhook.Url) is { } refused)
        {
            return new WebhookSendResult(null, 0, null, null, refused);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(webhook.Body, Encoding.UTF8, "application/json"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", webhook.MessageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", webhook.Timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", Sign(webhook));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CurrentValue.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var snippet = await ReadSnippetAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var error = status is >= 300 and < 400 ? $"The endpoint answered a redirect ({status}); redirects are not followed." : null;
            return new WebhookSendResult(status, Elapsed(), snippet, RetryAfter(response), error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, Elapsed(), null, null, $"No answer within {options.CurrentValue.Timeout}.");
        }
        catch (HttpRequestException ex)
        {
            // The message names the refused address or the connection failure; it never carries the secret or headers.
            return new WebhookSendResult(null, Elapsed(), null, null, (ex.InnerException as WebhookAddressRefusedException ?? (Exception)ex).Message);
        }
    }

    internal static string Sign(OutgoingWebhook webhook) =>
        string.Join(' ', webhook.Secrets.Select(secret => new StandardWebhook(secret).Sign(webhook.MessageId, webhook.Timestamp, webhook.Body)));

    private static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[Domain.OutboundWebhooks.WebhookAttempt.MaxSnippetLength];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow > TimeSpan.Zero ? date - DateTimeOffset.UtcNow : null,
        _ => null,
    };
}

/// <summary>
/// https only outside Development; and when <c>Webhooks:AllowPrivateNetworks</c> is off, no IP literal or
/// <c>localhost</c> that is internal. Names that resolve to internal addresses are refused when the webhook connects.
/// </summary>
internal sealed class WebhookUrlPolicy(IHostEnvironment environment, IOptionsMonitor<WebhooksOptions> options) : IWebhookUrlPolicy
{
    public string? Check(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The URL must be an absolute http(s) URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not carry credentials.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment())
        {
            return "The URL must use https (http is allowed in Development only).";
        }

        if (options.CurrentValue.AllowPrivateNetworks)
        {
            return null;
        }

        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"The host {uri.Host} is a loopback address; Webhooks:AllowPrivateNetworks allows it.";
        }

        return System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && WebhookAddressPolicy.IsForbidden(address)
            ? $"The address {address} is internal (loopback, private, link-local or reserved); Webhooks:AllowPrivateNetworks allows it."
            : null;
    }
}
