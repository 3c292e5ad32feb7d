using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Common.Options;

/// <summary>
/// Refuses to start on an <c>Alloy</c> section that cannot work, saying what to fix. In sandbox mode the WebApi fills
/// in the sandbox's key before validation (a post-configure step), so a missing key here means a real Alloy without one.
/// </summary>
internal sealed class HubAlloyOptionsValidator : IValidateOptions<HubAlloyOptions>
{
    public ValidateOptionsResult Validate(string? name, HubAlloyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Alloy:ApiKey is not set. Set it (environment variable Alloy__ApiKey) or run in Development with the sandbox (Alloy:Sandbox=true).");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _))
        {
            failures.Add("Alloy:BaseUrl must be an absolute URL.");
        }

        AddAnnotationFailures(options, HubAlloyOptions.SectionName, failures);
        var resilience = options.Resilience;
        const string prefix = HubAlloyOptions.SectionName + ":" + nameof(HubAlloyOptions.Resilience);
        AddAnnotationFailures(resilience, prefix, failures);
        if (resilience.TotalRequestTimeout <= resilience.AttemptTimeout)
        {
            failures.Add($"{prefix}:TotalRequestTimeout ({resilience.TotalRequestTimeout}) must be longer than {prefix}:AttemptTimeout ({resilience.AttemptTimeout}).");
        }

        if (resilience.CircuitBreakerSamplingDuration < 2 * resilience.AttemptTimeout)
        {
            failures.Add($"{prefix}:CircuitBreakerSamplingDuration ({resilience.CircuitBreakerSamplingDuration}) must be at least twice {prefix}:AttemptTimeout ({resilience.AttemptTimeout}).");
        }

        // The backoff alone (doubling from RetryDelay) must fit in the whole call; in seconds, which cannot overflow.
        var backoffSeconds = resilience.RetryDelay.TotalSeconds * (Math.Pow(2, Math.Max(0, resilience.MaxRetryAttempts)) - 1);
        if (backoffSeconds > resilience.TotalRequestTimeout.TotalSeconds)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{prefix}:MaxRetryAttempts ({resilience.MaxRetryAttempts}) retries starting at {prefix}:RetryDelay ({resilience.RetryDelay}) and doubling wait {backoffSeconds:0.###} s in all, longer than {prefix}:TotalRequestTimeout ({resilience.TotalRequestTimeout})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddAnnotationFailures(object instance, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{prefix}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
