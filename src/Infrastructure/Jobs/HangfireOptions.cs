namespace IntegrationHub.Infrastructure.Jobs;

public enum JobStorageKind
{
    InMemory,
    SqlServer,
}

/// <summary>Section <c>Hangfire</c>.</summary>
public sealed class HangfireOptions
{
    public const string SectionName = "Hangfire";

    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>Workers in this process; 0 makes it API-only. Null: Hangfire's default.</summary>
    public int? WorkerCount { get; set; }

    /// <summary>How often delayed jobs (provisioning retries) are checked for being due.</summary>
    public TimeSpan? SchedulePollingInterval { get; set; }

    /// <summary>Cron of the provisioning reconciler.</summary>
    public string ReconcilerCron { get; set; } = "* * * * *";
}
