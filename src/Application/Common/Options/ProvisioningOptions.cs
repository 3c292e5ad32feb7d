using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Application.Common.Options;

/// <summary>How provisioning retries and how long callers wait for it (section <c>Provisioning</c>).</summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    /// <summary>Attempts before an account is marked Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles each attempt, with ±20 % jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt holds the account; a crashed attempt is retried after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>When Alloy rejects the API key, how long until the account is tried again (no attempt is spent).</summary>
    public TimeSpan KeyRejectedRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a token request waits for its tenant's provisioning before answering 503.</summary>
    public TimeSpan InlineWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long this process remembers that a tenant's account is provisioned, so that a token request within the
    /// reuse window touches neither the database nor Alloy. Local changes (offboarding, a vanished user) forget it at
    /// once; a change made by another instance is seen within this time. Zero: read the database on every request.
    /// </summary>
    public TimeSpan AccountCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many due accounts one reconciler run enqueues.</summary>
    [Range(1, 100_000)]
    public int ReconcilerBatchSize { get; set; } = 1000;

    /// <summary>
    /// After a switch of <c>Alloy:Environment</c>, how many tenants one reconciler run gives an account in the new
    /// environment (a throttled backfill; token requests create theirs on demand at once).
    /// </summary>
    [Range(1, 100_000)]
    public int BackfillBatchSize { get; set; } = 100;

    /// <summary>
    /// Whether accounts due at once are provisioned with Alloy's batch create (<c>POST /users/batch</c>) instead of one
    /// <c>POST /users</c> each. Off: every account takes the single path (the baseline to compare against).
    /// </summary>
    public bool BatchEnabled { get; set; } = true;

    /// <summary>The most users one batch call creates (Alloy accepts at most 1000).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// How many accounts must be due at once (in one environment) for a batch: fewer, and each takes the single path,
    /// so a one-off signup is provisioned as soon as its job runs, without waiting for company.
    /// </summary>
    [Range(2, 1000)]
    public int BatchThreshold { get; set; } = 10;

    /// <summary>
    /// After a batch call (which returns no userIds), more users to look up than this: one <c>GET /users</c> listing;
    /// this many or fewer: one <c>GET /users/{username}</c> each. Zero: always the listing.
    /// </summary>
    [Range(0, 100_000)]
    public int BatchListThreshold { get; set; } = 20;

    /// <summary>
    /// How many runs that drain the due accounts may run at once in this process. A burst of signups asks for many runs;
    /// few at once means each takes many accounts (one batch call) instead of many runs taking a few each. Only with
    /// <see cref="BatchEnabled"/>: without batching every run sends one account at a time, and runs are not limited.
    /// </summary>
    [Range(1, 100)]
    public int MaxConcurrentDrains { get; set; } = 2;
}
