using Microsoft.Extensions.Options;

namespace IntegrationHub.Client;

/// <summary>How <see cref="IIntegrationHubClient"/> reaches and authenticates to the hub.</summary>
public sealed class IntegrationHubClientOptions
{
    /// <summary>The configuration section conventionally bound to these options.</summary>
    public const string SectionName = "IntegrationHub";

    /// <summary>The hub's absolute base address, such as <c>https://hub.example.com/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// A service key (sent as <c>X-Api-Key</c>) for the tenant routes (<c>/api/tenants</c>, <c>/api/events</c>). A secret:
    /// read it from a secret store, never log it. At least one of <see cref="ServiceKey"/> and <see cref="AdminKey"/> is required.
    /// </summary>
    public string? ServiceKey { get; set; }

    /// <summary>
    /// An admin key (sent as <c>X-Api-Key</c>) for the admin routes (<c>/api/admin</c>). When only one key is set, it is
    /// sent on every route (a key may hold both roles); when both are, each goes to its own routes.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// How often a failed request is sent again (transient failures: 408, 429, 5xx, network errors), honouring the
    /// hub's <c>Retry-After</c>; 0 disables retries. Only idempotent requests are retried (see
    /// <see cref="IntegrationHubServiceCollectionExtensions.AddIntegrationHubClient"/>). Default 3.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The time one call may take, retries included. Default 60 seconds.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The time one attempt may take. Default 15 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Refuses options the client cannot work with, naming the member.</summary>
internal sealed class IntegrationHubClientOptionsValidator : IValidateOptions<IntegrationHubClientOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrationHubClientOptions options)
    {
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("IntegrationHub:BaseAddress must be an absolute http(s) URI, such as https://hub.example.com/.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceKey) && string.IsNullOrWhiteSpace(options.AdminKey))
        {
            failures.Add("IntegrationHub:ServiceKey or IntegrationHub:AdminKey is required (the hub's X-Api-Key).");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("IntegrationHub:MaxRetryAttempts must be between 0 and 10.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.TotalRequestTimeout < options.AttemptTimeout)
        {
            failures.Add("IntegrationHub:AttemptTimeout must be positive and at most IntegrationHub:TotalRequestTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
