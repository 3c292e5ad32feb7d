using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Application.Common.Options;

/// <summary>SaaS events sent through to each tenant's Alloy workflows (section <c>Events</c>).</summary>
public sealed class EventsOptions : IValidatableObject
{
    public const string SectionName = "Events";

    /// <summary>How many events one <c>POST /api/events</c> may carry.</summary>
    public const int MaxBatchSize = 500;

    /// <summary>Attempts before an event is Failed (and an <c>event.failed</c> webhook goes out).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The delay after the first failed attempt; it doubles with each further one (±20 % jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest <c>data</c> accepted, in bytes of its JSON text.</summary>
    [Range(2, 16 * 1024 * 1024)]
    public int MaxDataBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How many of one tenant's events a process sends to Alloy at once. 1 delivers each tenant's events strictly in
    /// acceptance order; more start them in acceptance order but let them overtake each other.
    /// </summary>
    [Range(1, 100)]
    public int MaxInFlightPerTenant { get; set; } = 4;

    /// <summary>How long the list of the Alloy account's custom event names is trusted before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CatalogCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDelay < BaseDelay)
        {
            yield return new ValidationResult("Events:MaxDelay must not be shorter than Events:BaseDelay.", [nameof(MaxDelay)]);
        }
    }
}
