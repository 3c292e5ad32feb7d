using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Http.Resilience;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>Turns <c>Alloy:Resilience</c> into the standard resilience pipeline of the Alloy HTTP client.</summary>
public static class AlloyResilience
{
    /// <summary>
    /// Resilience sits outside authentication, so every retry re-reads the current key. POST /users is retried too:
    /// a duplicate is adopted.
    /// </summary>
    public static void Apply(AlloyResilienceOptions source, HttpStandardResilienceOptions target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        target.Retry.MaxRetryAttempts = source.MaxRetryAttempts;
        target.Retry.UseJitter = true;
        target.Retry.Delay = source.RetryDelay;
        target.AttemptTimeout.Timeout = source.AttemptTimeout;
        target.TotalRequestTimeout.Timeout = source.TotalRequestTimeout;
        target.CircuitBreaker.SamplingDuration = source.CircuitBreakerSamplingDuration;
        target.CircuitBreaker.FailureRatio = source.CircuitBreakerFailureRatio;
        target.CircuitBreaker.MinimumThroughput = source.CircuitBreakerMinimumThroughput;
        target.CircuitBreaker.BreakDuration = source.CircuitBreakerBreakDuration;
    }
}
