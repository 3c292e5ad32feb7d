using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace IntegrationHub.Client.Internal;

/// <summary>
/// Which requests the standard resilience handler may send again. A retry re-sends a request whose first attempt may
/// have reached the hub, so only requests that do the same thing twice are retried: GET, HEAD, OPTIONS, PUT and DELETE;
/// a POST or PATCH only when it carries an <c>Idempotency-Key</c> header or the client marked it retry-safe
/// (signup, which is idempotent by tenant id; refresh, which re-reads Alloy; a batch whose events all carry keys).
/// </summary>
internal static class RetryPolicy
{
    /// <summary>The request option (a Refit <c>[Property]</c>) that marks a POST as safe to send again.</summary>
    public const string RetrySafeProperty = "IntegrationHub.RetrySafe";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static bool MayRetry(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return false;
        }

        var method = request.Method;
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put || method == HttpMethod.Delete)
        {
            return true;
        }

        return HasIdempotencyKey(request.Headers)
            || (((IDictionary<string, object?>)request.Options).TryGetValue(RetrySafeProperty, out var safe) && safe is true);
    }

    public static void Apply(HttpRetryStrategyOptions retry, int maxRetryAttempts)
    {
        if (maxRetryAttempts <= 0)
        {
            retry.ShouldHandle = _ => PredicateResult.False();
            return;
        }

        retry.MaxRetryAttempts = maxRetryAttempts;
        retry.ShouldHandle = args => ValueTask.FromResult(
            MayRetry(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
    }

    private static bool HasIdempotencyKey(HttpRequestHeaders headers) =>
        headers.TryGetValues(IdempotencyKeyHeader, out var values) && values.Any(v => !string.IsNullOrWhiteSpace(v));
}
