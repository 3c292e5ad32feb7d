using System.Diagnostics;
using IntegrationHub.Application.Common.Telemetry;
using Polly.Timeout;
using Refit;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>
/// Counts and times every HTTP request sent to Alloy (innermost handler: each retry and each key tried counts), tagged
/// with the Refit route template (<c>GET /users/{uid}/token</c>, never the filled URL) and the status.
/// </summary>
public sealed class AlloyMetricsHandler(HubMetrics metrics) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<string> TemplateKey = new(HttpRequestMessageOptions.RelativePathTemplate);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = EndpointOf(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.AlloyRequestCompleted(endpoint, (int)response.StatusCode, error: null, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (Exception ex)
        {
            var error = ex switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => "canceled",
                OperationCanceledException or TimeoutRejectedException => "timeout",
                _ => ex.GetType().Name,
            };
            metrics.AlloyRequestCompleted(endpoint, status: null, error, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    internal static string EndpointOf(HttpRequestMessage request)
    {
        var template = request.Options.TryGetValue(TemplateKey, out var value) && !string.IsNullOrEmpty(value) ? value : "other";
        var query = template.IndexOf('?', StringComparison.Ordinal);
        return $"{request.Method.Method} {(query >= 0 ? template[..query] : template)}";
    }
}
