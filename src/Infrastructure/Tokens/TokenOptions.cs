using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Infrastructure.Tokens;

/// <summary>Section <c>Tokens</c>; validated by its annotations at start.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Tokens";

    /// <summary>How long a minted token may be handed out again; zero disables reuse (single flight stays).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan ReuseWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A token is never handed out again once it is this close to its expiry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan ExpirySafetyMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Assumed lifetime when the token's <c>exp</c> cannot be read (Alloy documents at most 30 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
