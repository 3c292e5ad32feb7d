using IntegrationHub.Application.Common.Options;

namespace IntegrationHub.Application.OutboundWebhooks;

/// <summary>When a failed delivery is tried again: <c>Webhooks:RetrySchedule</c> with ±10 % jitter, or the endpoint's Retry-After.</summary>
public static class WebhookRetrySchedule
{
    /// <summary>The longest Retry-After honoured; a larger one is capped (a receiver cannot park a delivery forever).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <param name="attempts">Attempts made so far (1 after the first).</param>
    /// <returns>The delay before the next attempt, or null when the schedule is exhausted.</returns>
    public static TimeSpan? DelayAfter(int attempts, WebhooksOptions options, TimeSpan? retryAfter, Random? random = null)
    {
        var delays = options.GetRetryDelays();
        if (attempts < 1 || attempts > delays.Count)
        {
            return null;
        }

        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        var jitter = 0.9 + ((random ?? Random.Shared).NextDouble() * 0.2);
        return TimeSpan.FromMilliseconds(delays[attempts - 1].TotalMilliseconds * jitter);
    }
}
