using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>The backoff between provisioning attempts: <see cref="Backoff"/> with <c>Provisioning:BaseDelay</c> and <c>Provisioning:MaxDelay</c>.</summary>
public static class ProvisioningBackoff
{
    public static TimeSpan DelayAfter(int attempts, ProvisioningOptions options, TimeSpan? retryAfter, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Backoff.DelayAfter(attempts, options.BaseDelay, options.MaxDelay, retryAfter, random);
    }
}
