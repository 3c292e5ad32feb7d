using System.ComponentModel.DataAnnotations;
using IntegrationHub.Domain.AlloyAccounts;

namespace IntegrationHub.Application.Common.Options;

/// <summary>
/// The <c>Alloy</c> configuration section, bound once: the tenancy side (environment, username prefix) read by the use
/// cases, and the connection side (address, version, keys, resilience) read by the HTTP client in Infrastructure.
/// Validated by <see cref="HubAlloyOptionsValidator"/>.
/// </summary>
public sealed class HubAlloyOptions
{
    public const string SectionName = "Alloy";
    public const string DefaultBaseUrl = "https://production.runalloy.com";
    public const string DefaultApiVersion = "2025-09";

    /// <summary>Alloy API root.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Sent as <c>x-api-version</c>.</summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>Read on every call, so a changed value takes effect without a restart.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Tried when Alloy rejects <see cref="ApiKey"/> (rotation), and used from then on.</summary>
    public string? SecondaryApiKey { get; set; }

    /// <summary>Which key type is configured; accounts are kept per environment.</summary>
    public AlloyEnvironment Environment { get; set; } = AlloyEnvironment.Development;

    /// <summary>Prefix of the deterministic Alloy username (prefix + tenantId).</summary>
    public string UsernamePrefix { get; set; } = string.Empty;

    /// <summary>Serve Alloy from the in-process sandbox; null means "in Development when no key is set".</summary>
    public bool? Sandbox { get; set; }

    /// <summary>How long a user's integration list (with its install flags) is cached; zero asks Alloy every time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan IntegrationsCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Share Alloy's account-wide installation listing (<c>GET /installations</c>) between concurrent refreshes and
    /// webhook resolutions of different tenants, never with a list that started before the caller asked (see
    /// <c>InstallationListingCoalescer</c>). False: every caller makes its own call.
    /// </summary>
    public bool CoalesceInstallationListings { get; set; } = true;

    /// <summary>
    /// How long a shared installation listing waits after its first caller asked before it calls Alloy, so that
    /// callers arriving together share it. It starts after every caller it answers, so it is never stale.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan InstallationListingGather { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Retries, timeouts and circuit breaker of the HTTP client (section <c>Alloy:Resilience</c>).</summary>
    public AlloyResilienceOptions Resilience { get; set; } = new();
}

/// <summary>
/// Section <c>Alloy:Resilience</c>: how the HTTP client to Alloy retries transient failures (network, timeouts, 408,
/// 429 honouring <c>Retry-After</c>, 5xx) with exponential backoff and jitter, bounds each attempt and the whole call,
/// and stops calling a mostly failing Alloy for a while.
/// </summary>
public sealed class AlloyResilienceOptions
{
    /// <summary>Retries after the first attempt (at least one: the standard pipeline has a retry stage).</summary>
    [Range(1, 20)]
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles for each further one (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a call, retries included; more than <see cref="AttemptTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The window the breaker looks at; at least twice <see cref="AttemptTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls in the window that opens the breaker (a partial outage is retried through).</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.7;

    /// <summary>Calls in the window before the breaker may open.</summary>
    [Range(2, 100_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>How long an open breaker fails calls at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(10);
}
