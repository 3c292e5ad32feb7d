namespace IntegrationHub.Domain.Events;

/// <summary>One call to Alloy for one event, kept for the admins' view of what happened.</summary>
public sealed class TenantEventAttempt
{
    public const int MaxOutcomeLength = 32;
    public const int MaxErrorLength = 1000;

    /// <summary>For EF Core.</summary>
    private TenantEventAttempt()
    {
        Outcome = null!;
    }

    private TenantEventAttempt(long tenantEventId, DateTimeOffset at, long durationMs, string outcome, string? error)
    {
        TenantEventId = tenantEventId;
        At = at;
        DurationMs = durationMs;
        Outcome = outcome;
        Error = error is null || error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
    }

    public long Id { get; private set; }

    public long TenantEventId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public long DurationMs { get; private set; }

    /// <summary>One of <see cref="TenantEventAttemptOutcomes"/>.</summary>
    public string Outcome { get; private set; }

    public string? Error { get; private set; }

    public static TenantEventAttempt Record(long tenantEventId, DateTimeOffset at, long durationMs, string outcome, string? error) =>
        new(tenantEventId, at, durationMs, outcome, error);
}

/// <summary>What one attempt led to.</summary>
public static class TenantEventAttemptOutcomes
{
    public const string Delivered = "delivered";

    /// <summary>A transient failure (Alloy unreachable, 429, 5xx): tried again after a backoff.</summary>
    public const string Retrying = "retrying";

    /// <summary>Refused for good, or the last attempt failed.</summary>
    public const string Failed = "failed";

    /// <summary>Alloy refused the hub's own key: tried again later without spending an attempt.</summary>
    public const string Deferred = "deferred";
}
