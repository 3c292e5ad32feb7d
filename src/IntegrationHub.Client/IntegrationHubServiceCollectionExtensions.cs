using IntegrationHub.Client.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace IntegrationHub.Client;

/// <summary>Registers <see cref="IIntegrationHubClient"/>.</summary>
public static class IntegrationHubServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIntegrationHubClient"/> (typed, on <c>IHttpClientFactory</c>) with its options, validated
    /// when the host starts (an absolute base address and a key are required).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The standard resilience handler wraps every call: a total timeout, retries with exponential backoff and jitter
    /// that honour <c>Retry-After</c>, a circuit breaker and an attempt timeout. Retries re-send a request whose first
    /// attempt may already have been processed, so they are limited to requests that are safe to repeat: GET, PUT and
    /// DELETE; signup (the hub answers 200 with the same tenant for a repeated tenant id and name); refresh of
    /// installations (it re-reads Alloy); an event sent with an idempotency key (the hub accepts a key once and
    /// answers 200 for the same key and body); and a batch whose events all carry keys. Other POSTs and PATCHes
    /// (retry provisioning, an event without a key, webhook endpoint changes, replays) are never retried blindly: a
    /// transient failure surfaces to the caller, who knows whether repeating is harmless.
    /// </para>
    /// <para>
    /// The key goes in <c>X-Api-Key</c>; logged request headers are redacted. The returned builder can add handlers
    /// of the caller's own (they run inside the resilience handler, once per attempt).
    /// </para>
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="IntegrationHubClientOptions"/> (base address and key).</param>
    /// <returns>The builder of the underlying named <see cref="HttpClient"/>.</returns>
    public static IHttpClientBuilder AddIntegrationHubClient(this IServiceCollection services, Action<IntegrationHubClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<IntegrationHubClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationHubClientOptions>, IntegrationHubClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<ApiKeyHandler>();
        services.TryAddTransient<IIntegrationHubClient, IntegrationHubClient>();

        var http = services.AddRefitGeneratedClient<IIntegrationHubApi>(IntegrationHubJsonContext.Default)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<IntegrationHubClientOptions>>().Value.BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            })
            .RedactLoggedHeaders([ApiKeyHandler.HeaderName]);

        // Resilience outside, the key inside: every attempt reads the current key.
        http.AddStandardResilienceHandler().Configure((resilience, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<IntegrationHubClientOptions>>().Value;
            resilience.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;
            resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
            resilience.CircuitBreaker.SamplingDuration = Max(resilience.CircuitBreaker.SamplingDuration, options.AttemptTimeout * 2);
            RetryPolicy.Apply(resilience.Retry, options.MaxRetryAttempts);
        });
        http.AddHttpMessageHandler<ApiKeyHandler>();
        return http;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
