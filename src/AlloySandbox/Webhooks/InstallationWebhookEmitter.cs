using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Webhooks;

/// <summary>
/// Sends Alloy's Integration Installation Webhook when an installation completes, signed like every Alloy webhook
/// (<see cref="WebhookSigner"/>), to <c>AlloySandbox:Webhooks:InstallationUrl</c>. The installation never waits for it:
/// deliveries go through a bounded in-memory queue drained in the background, each tried a few times with a short
/// doubling delay and then dropped with a warning (an unreachable URL never fails an install).
/// </summary>
internal sealed class InstallationWebhookEmitter(
    IHttpClientFactory clients,
    WebhookSigner signer,
    IOptionsMonitor<AlloySandboxOptions> options,
    ILogger<InstallationWebhookEmitter> logger) : BackgroundService
{
    /// <summary>Attempts per delivery.</summary>
    public const int MaxAttempts = 3;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Channel<(Uri Url, byte[] Body)> _queue = Channel.CreateBounded<(Uri, byte[])>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues the webhook for a completed installation; does nothing when no URL is configured.</summary>
    /// <param name="requestBase">Scheme and host of the install request, against which a path-only URL resolves.</param>
    public void Enqueue(AlloyInstallationWebhookBody body, Uri requestBase)
    {
        var configured = options.CurrentValue.Webhooks.InstallationUrl;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        if (!WebhookUrls.TryResolve(configured, requestBase, out var url))
        {
            logger.LogWarning("AlloySandbox:Webhooks:InstallationUrl is neither an absolute http(s) URL nor a path; installation webhook not sent");
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, SandboxJson.TypeInfo<AlloyInstallationWebhookBody>());
        _queue.Writer.TryWrite((url, bytes));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (url, body) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(url, body, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued deliveries are dropped, as a real sender's would be after its retries.
        }
    }

    private async Task DeliverAsync(Uri url, byte[] body, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            message.Headers.Add("X-Alloy-Signature", signer.Sign(message.Method.Method, url.AbsoluteUri, body));
            string outcome;
            try
            {
                using var response = await clients.CreateClient(ErrorWebhookEmitter.HttpClientName).SendAsync(message, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    logger.LogInformation("Installation webhook delivered to {Url}: {StatusCode}", url.GetLeftPart(UriPartial.Path), (int)response.StatusCode);
                    return;
                }

                outcome = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                outcome = ex.Message;
            }

            if (attempt >= MaxAttempts)
            {
                logger.LogWarning("Installation webhook to {Url} dropped after {Attempts} attempt(s): {Outcome}",
                    url.GetLeftPart(UriPartial.Path), attempt, outcome);
                return;
            }

            await Task.Delay(delay, stoppingToken);
            delay *= 2;
        }
    }
}

/// <summary>Where a configured webhook URL points: absolute http(s), or a path on the host a request came to.</summary>
internal static class WebhookUrls
{
    public static bool TryResolve(string value, Uri requestBase, out Uri url)
    {
        value = value.Trim();
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            url = absolute;
            return true;
        }

        if (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal))
        {
            url = new Uri(requestBase, value);
            return true;
        }

        url = requestBase;
        return false;
    }
}
