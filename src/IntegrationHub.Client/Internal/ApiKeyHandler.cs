using Microsoft.Extensions.Options;

namespace IntegrationHub.Client.Internal;

/// <summary>
/// Puts the key on every request (<c>X-Api-Key</c>, the hub's service key scheme): the admin key on <c>/api/admin</c>
/// routes and the service key elsewhere, or the only key configured everywhere. Read per request, so a reloaded key
/// applies to the next attempt. The key is never logged (the client's logged headers are redacted).
/// </summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<IntegrationHubClientOptions> options) : DelegatingHandler
{
    public const string HeaderName = "X-Api-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var admin = request.RequestUri?.AbsolutePath.StartsWith("/api/admin", StringComparison.Ordinal) == true;
        var key = admin ? Present(current.AdminKey) ?? Present(current.ServiceKey) : Present(current.ServiceKey) ?? Present(current.AdminKey);
        request.Headers.Remove(HeaderName);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderName, key);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static string? Present(string? key) => string.IsNullOrWhiteSpace(key) ? null : key;
}
