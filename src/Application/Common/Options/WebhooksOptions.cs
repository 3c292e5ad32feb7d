using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace IntegrationHub.Application.Common.Options;

/// <summary>Webhooks the hub sends to the SaaS backend (section <c>Webhooks</c>).</summary>
public sealed class WebhooksOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    public const string DefaultRetrySchedule = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delays before each retry, comma-separated TimeSpans; each gets ±10 % jitter. Its length is the number of retries.</summary>
    [Required]
    public string RetrySchedule { get; set; } = DefaultRetrySchedule;

    /// <summary>An endpoint whose deliveries have all failed for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>After a secret rotation, how long the previous secret keeps signing too.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How many deliveries to one endpoint a process attempts at once; the rest wait (without spending attempts), so a
    /// slow endpoint never takes more than this many job workers from the other endpoints.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentPerEndpoint { get; set; } = 4;

    /// <summary>
    /// Allows endpoints on loopback, private, link-local and other internal addresses (and plain http outside
    /// Development is still refused). For tests and private deployments only.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The parsed <see cref="RetrySchedule"/> (a method, not a property: it is not a configuration key).</summary>
    public IReadOnlyList<TimeSpan> GetRetryDelays() => ParseSchedule(RetrySchedule) ?? [];

    public static IReadOnlyList<TimeSpan>? ParseSchedule(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return null;
        }

        var delays = new List<TimeSpan>();
        foreach (var part in schedule.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero || delay > TimeSpan.FromDays(7))
            {
                return null;
            }

            delays.Add(delay);
        }

        return delays;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseSchedule(RetrySchedule) is null)
        {
            yield return new ValidationResult(
                "Webhooks:RetrySchedule must be a comma-separated list of TimeSpans between 00:00:00 and 7.00:00:00.",
                [nameof(RetrySchedule)]);
        }
    }
}
