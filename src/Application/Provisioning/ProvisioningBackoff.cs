using IntegrationHub.Application.Common.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>Exponential backoff with ±20 % jitter between provisioning attempts, honouring Alloy's Retry-After.</summary>
public static class ProvisioningBackoff
{
    public static TimeSpan DelayAfter(int attempts, ProvisioningOptions options, TimeSpan? retryAfter, Random? random = null)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var raw = options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(raw, options.MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + ((random ?? Random.Shared).NextDouble() * 0.4);
        var delay = TimeSpan.FromMilliseconds(capped * jitter);
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
