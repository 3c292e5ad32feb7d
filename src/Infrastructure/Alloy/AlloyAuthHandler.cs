using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>
/// Adds Alloy's <c>Authorization: Bearer</c> and <c>x-api-version</c> headers, reading the key(s) from
/// configuration on every call so a rotated key takes effect without a restart. When Alloy rejects the key in
/// use and another is configured, the request is sent once more with the other key, which is kept from then on.
/// </summary>
public sealed class AlloyAuthHandler(IOptionsMonitor<HubAlloyOptions> options, AlloyKeyState keyState) : DelegatingHandler
{
    public const string ApiVersionHeader = "x-api-version";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        request.Headers.Remove(ApiVersionHeader);
        request.Headers.TryAddWithoutValidation(ApiVersionHeader, current.ApiVersion);

        var keys = KeysInOrder(current);
        if (keys.Count == 0)
        {
            keyState.ReportRejected();
            return new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = request };
        }

        HttpResponseMessage? response = null;
        foreach (var (key, secondary) in keys)
        {
            response?.Dispose();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                keyState.ReportAccepted(secondary);
                return response;
            }
        }

        keyState.ReportRejected();
        return response!;
    }

    private List<(string Key, bool Secondary)> KeysInOrder(HubAlloyOptions current)
    {
        var keys = new List<(string, bool)>(2);
        var primary = string.IsNullOrWhiteSpace(current.ApiKey) ? null : current.ApiKey.Trim();
        var secondary = string.IsNullOrWhiteSpace(current.SecondaryApiKey) ? null : current.SecondaryApiKey.Trim();
        if (keyState.UsingSecondary && secondary is not null)
        {
            keys.Add((secondary, true));
            if (primary is not null && primary != secondary)
            {
                keys.Add((primary, false));
            }
        }
        else
        {
            if (primary is not null)
            {
                keys.Add((primary, false));
            }

            if (secondary is not null && secondary != primary)
            {
                keys.Add((secondary, true));
            }
        }

        return keys;
    }
}
