namespace IntegrationHub.Application.Common.Models;

/// <summary>The hub's one exponential backoff: doubling from a base delay to a cap, ±20 % jitter, never sooner than a Retry-After.</summary>
public static class Backoff
{
    public static TimeSpan DelayAfter(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter = null, Random? random = null)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var raw = baseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(raw, maxDelay.TotalMilliseconds);
        var jitter = 0.8 + ((random ?? Random.Shared).NextDouble() * 0.4);
        var delay = TimeSpan.FromMilliseconds(capped * jitter);
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
